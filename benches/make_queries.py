#!/usr/bin/env python3
"""Makes the fixed query list of `search_vs_fts5` (benches/search_queries.in) from the entries
the bench writes (RASOAT_BENCH_KEEP=DIR cargo bench --bench search_vs_fts5; then
make_queries.py DIR/entries.jsonl > benches/search_queries.in).

Each query is made from one provision's words, so the expected answer is known by
construction: 25 provisions picked at a fixed stride, and for each a query typed with
diacritics and the same without. Kinds, in turn:
- three consecutive syllables of the provision around its rarest one (as a reviewer types a
  topic word with its neighbours);
- a phrase of a common syllable pair that stands in the provision ("hành chính", "quy định"…)
  plus its rarest syllable;
- the same, around a syllable with old tone placement where one fits (hoà, thuỷ, uỷ…);
and every other query is centred on the provision's rarest `đ` syllable instead.
"""
import json
import re
import sys
import unicodedata

OLD = {"òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "òe": "oè", "óe": "oé",
       "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ", "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ"}
COMMON = ["hành chính", "quy định", "nhà nước", "thủ tục", "ủy ban", "nhân dân", "tổ chức",
          "thực hiện", "cơ quan", "trách nhiệm", "đất đai", "giải quyết", "hiệu lực", "điều kiện"]


def fold(s):
    s = s.lower().replace("đ", "d")
    s = unicodedata.normalize("NFD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def syllables(text):
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())


def main():
    entries = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
    df = {}
    for e in entries:
        for s in set(fold(x) for x in syllables(e["text"])):
            df[s] = df.get(s, 0) + 1
    cands = [e for e in entries if e["provision"] and 120 <= len(e["text"]) <= 700]
    stride = max(1, len(cands) // 25)
    out = []
    k = 0
    for e in cands[::stride]:
        if len(out) >= 50:
            break
        syl = []
        for s in syllables(e["text"]):
            if not s.isdigit() and s not in syl:
                syl.append(s)
        if len(syl) < 6 or all(fold(s) == s for s in syl):
            continue
        kind = k % 3
        text = " ".join(syllables(e["text"]))
        pair = next((c for c in COMMON if f" {c} " in f" {text} "), None)
        if kind == 1 and pair is None:
            kind = 0
        rarest = sorted(syl, key=lambda s: (df.get(fold(s), 0), syl.index(s)))
        words_in_order = [s for s in syllables(e["text"]) if not s.isdigit()]
        centre = rarest[0]
        if kind == 2:
            centre = next((s for s in rarest[:4] if any(n in s for n in OLD)), centre)
        at = [j for j, s in enumerate(words_in_order) if s == centre][0]
        windows = [words_in_order[j:j + 3] for j in range(max(0, at - 2), at + 1)
                   if j + 3 <= len(words_in_order)] or [words_in_order[:3]]
        words = windows[0]
        if k % 2 == 0:
            with_d = [w for w in windows if any("đ" in x for x in w)]
            if with_d:
                words = with_d[0]
            else:
                d = next((x for x in rarest if "đ" in x and df.get(fold(x), 0) <= 50), None)
                if d:
                    j = words_in_order.index(d)
                    words = words_in_order[max(0, j - 1):max(0, j - 1) + 3]
        if kind == 2:
            words = [next((s.replace(n, o) for n, o in OLD.items() if n in s), s) for s in words]
        q = " ".join(words)
        if kind == 1:
            rare = next(s for s in rarest if s not in pair.split())
            q = f'"{pair}" {rare}'
        if fold(q) == q:
            continue
        k += 1
        out.append((q, e["document"], e["provision"]))
        out.append((fold(q), e["document"], e["provision"]))
    print("[")
    for q, d, p in out:
        print(f"    ({json.dumps(q, ensure_ascii=False)}, {json.dumps(d, ensure_ascii=False)}, "
              f"{json.dumps(p, ensure_ascii=False)}),")
    print("]")


if __name__ == "__main__":
    main()
