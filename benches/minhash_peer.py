#!/usr/bin/env python3
"""The datasketch side of the overlap comparison in `benches/scale_probe.rs`.

Usage: minhash_peer.py UNITS.jsonl THRESHOLD OUT.json

UNITS.jsonl has one provision a line (`i`, `text`). The text is folded as rasoat folds it
(NFD without combining marks, `đ` → `d`, lower case), cut into syllables (runs of letters and
digits) and into shingles of 3 syllables; each unit gets a datasketch MinHash of 128
permutations, inserted into a MinHashLSH at THRESHOLD; every unit then queries the LSH and
each candidate pair is kept when its exact Jaccard similarity is at least THRESHOLD (what
rasoat does after its own LSH). Writes the time (reading the file excluded) and the pairs.
"""
import json
import sys
import time
import unicodedata


def fold(s):
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def shingles(text):
    out, cur = [], []
    for ch in fold(text):
        if ch.isalnum():
            cur.append(ch)
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    if len(out) < 3:
        return {" ".join(out)} if out else set()
    return {" ".join(out[i : i + 3]) for i in range(len(out) - 2)}


def main():
    units_path, threshold, out_path = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    from datasketch import MinHash, MinHashLSH

    units = []
    with open(units_path, encoding="utf-8") as f:
        for line in f:
            u = json.loads(line)
            units.append((u["i"], u["text"]))
    t0 = time.perf_counter()
    sets = {}
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    hashes = {}
    for i, text in units:
        s = shingles(text)
        if len(s) < 2:
            continue
        m = MinHash(num_perm=128)
        m.update_batch([x.encode("utf-8") for x in s])
        sets[i] = s
        hashes[i] = m
        lsh.insert(i, m)
    pairs = set()
    for i, m in hashes.items():
        for j in lsh.query(m):
            if j == i:
                continue
            a, b = min(i, j), max(i, j)
            if (a, b) in pairs:
                continue
            sa, sb = sets[a], sets[b]
            if len(sa & sb) / len(sa | sb) >= threshold:
                pairs.add((a, b))
    dt = time.perf_counter() - t0
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"seconds": dt, "units": len(hashes), "pairs": sorted(pairs)}, f)


if __name__ == "__main__":
    main()
