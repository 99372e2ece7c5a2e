#!/usr/bin/env python3
"""Makes the fixed query list of `search_vs_fts5` (benches/search_queries.in) from the entries
the bench writes (RASOAT_BENCH_KEEP=DIR cargo bench --bench search_vs_fts5; then
make_queries.py DIR/entries.jsonl > benches/search_queries.in).

Each query is made from one provision's words, so the expected answer is known by
construction: 25 provisions picked at a fixed stride, and for each a query typed with
diacritics and the same without. Kinds, in turn:
- the three rarest consecutive syllables of the provision (a third of them chosen to hold `đ`);
- a phrase of a common syllable pair that stands in the provision ("hành chính", "quy định"…)
  plus its rarest syllable;
- two rare syllables with old tone placement where one fits (hoà, thuỷ, uỷ…).
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
        syl = [s for s in syllables(e["text"]) if not s.isdigit()]
        if len(syl) < 6:
            continue
        kind = k % 3
        k += 1
        q = None
        if kind == 1:
            text = " ".join(syl)
            pair = next((c for c in COMMON if f" {c} " in f" {text} "), None)
            if pair:
                rare = min(syl, key=lambda s: df.get(fold(s), 0))
                q = f'"{pair}" {rare}'
        if q is None:
            want_d = kind == 0 and k % 2 == 0
            best = None
            for i in range(len(syl) - 2):
                tri = syl[i:i + 3]
                if want_d and not any("đ" in s for s in tri):
                    continue
                score = sum(df.get(fold(s), 0) for s in tri)
                if best is None or score < best[0]:
                    best = (score, tri)
            if best is None:
                best = (0, sorted(syl, key=lambda s: df.get(fold(s), 0))[:3])
            words = best[1]
            if kind == 2:
                words = [next((s.replace(n, o) for n, o in OLD.items() if n in s), s) for s in words]
            q = " ".join(words)
        out.append((q, e["document"], e["provision"]))
        out.append((fold(q), e["document"], e["provision"]))
    print("[")
    for q, d, p in out:
        print(f"    ({json.dumps(q, ensure_ascii=False)}, {json.dumps(d, ensure_ascii=False)}, "
              f"{json.dumps(p, ensure_ascii=False)}),")
    print("]")


if __name__ == "__main__":
    main()
