#!/usr/bin/env python3
"""Scale benchmark: rasoat at 1k, 10k and 100k generated documents, side by side with the
tools a user would pick instead. See BENCHMARKS.md.

Usage: python3 benches/scale.py [--tiers 1000,10000,100000] [--work /tmp/rasoat-bench]
                                [--bin target/release/rasoat] [--fresh]

For each tier it generates the corpus (`rasoat gen-corpus --seed 1`), then measures, each
step in its own process under `/usr/bin/time -v` (wall time and peak RSS):
  ingest (parse + store + index), index size on disk, `check` with all rules and with only
  the status, conflict or overlap rules (and with none: loading the store and building the
  status engine), findings against the planted `EXPECTED.json` (precision and recall by
  kind), one more document ingested into the tier and the re-check, a `grep -c` scan of the
  raw text (the floor for reading everything once), and through `cargo bench --bench
  scale_probe`: parse MB/s, search p50/p99 against SQLite FTS5 on the same provisions and
  queries, overlap detection against datasketch's MinHashLSH at the same threshold.

Peers are installed here (`pip install datasketch`); one that cannot be installed is reported
as such in the output. Results of finished steps are kept in WORK/results.json, so a run that
was stopped goes on where it stopped (`--fresh` forgets them). Writes WORK/report.md and the
scaling curves WORK/scaling.svg (copied to benches/scaling.svg when `--svg-to` is given).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2024-12-31"


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def timed(cmd, stdout=None, cwd=None, nice=True):
    """Runs cmd under /usr/bin/time -v; returns (wall seconds, peak RSS bytes, stdout)."""
    full = (["nice", "-n", "10"] if nice else []) + ["/usr/bin/time", "-v"] + [str(c) for c in cmd]
    t0 = time.perf_counter()
    p = subprocess.run(full, stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
    wall = time.perf_counter() - t0
    err = p.stderr.decode("utf-8", "replace")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    rss = int(m.group(1)) * 1024 if m else None
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({p.returncode}): {err[-2000:]}")
    out = p.stdout if stdout is None else None
    return wall, rss, out


def du(path):
    total = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(dirpath, f))
            except OSError:
                pass
    return total


def corpus_files(corpus):
    return sorted(p for p in Path(corpus).rglob("*.txt"))


def finding_key(f):
    kind = f["kind"]
    me = (f["document"], f.get("provision") or "")
    rel = [(r["document"], r.get("provision") or "") for r in f.get("related", [])]
    if kind in ("conflict", "overlap"):
        return (kind,) + tuple(sorted([me, rel[0] if rel else ("", "")]))
    if kind == "basis_expired":
        return (kind, me, tuple(sorted(d for d, _ in rel)))
    return (kind, me)


def score(expected, got):
    e = Counter(map(finding_key, expected))
    g = Counter(map(finding_key, got))
    out = {}
    for kind in sorted({k[0] for k in e} | {k[0] for k in g}):
        ek = {k: v for k, v in e.items() if k[0] == kind}
        gk = {k: v for k, v in g.items() if k[0] == kind}
        tp = sum(min(v, gk.get(k, 0)) for k, v in ek.items())
        ne, ng = sum(ek.values()), sum(gk.values())
        out[kind] = {
            "expected": ne,
            "found": ng,
            "matched": tp,
            "recall": tp / ne if ne else 1.0,
            "precision": tp / ng if ng else 1.0,
        }
    return out


def rules_subset(work, name, rule_files):
    d = Path(work) / "rules-subsets" / name
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    for f in ["registry.toml", "law-periods.toml"] + rule_files:
        shutil.copy(ROOT / "rules" / f, d / f)
    return d


def one_more_document(corpus, dest):
    """A new regulation: an existing one under a number no document has, the same text."""
    src = next(p for p in corpus_files(corpus) if "-QD-UBND" in p.name and re.search(r"_\d+-\d{4}-QD", p.name))
    text = src.read_text(encoding="utf-8")
    m = re.search(r"Số: (\d+)/(\d{4})/QĐ-UBND", text)
    old = f"{m.group(1)}/{m.group(2)}/QĐ-UBND"
    new = f"99999/{m.group(2)}/QĐ-UBND"
    text = text.replace(old, new)
    dest.mkdir(parents=True, exist_ok=True)
    out = dest / f"extra_{new.replace('/', '-').replace('Đ', 'D')}.txt"
    out.write_text(text, encoding="utf-8")
    return out


def pip_install(pkg):
    try:
        __import__(pkg)
        return None
    except ImportError:
        pass
    p = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", pkg],
        capture_output=True,
        text=True,
    )
    if p.returncode != 0:
        p = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--break-system-packages", pkg],
            capture_output=True,
            text=True,
        )
    if p.returncode != 0:
        return f"pip install {pkg} failed: {(p.stderr or p.stdout).strip()[-400:]}"
    try:
        __import__(pkg)
    except ImportError as e:
        return f"{pkg} installed but cannot be imported: {e}"
    return None


def probe(args, *cmd):
    """Runs `cargo bench --bench scale_probe -- CMD…` and returns its JSON answer."""
    if args.probe:
        full = ["nice", "-n", "10", args.probe] + [str(c) for c in cmd]
    else:
        full = ["nice", "-n", "10", "cargo", "bench", "--quiet", "--bench", "scale_probe", "--"] + [str(c) for c in cmd]
    p = subprocess.run(full, cwd=ROOT, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"scale_probe {' '.join(map(str, cmd))} failed: {p.stderr[-3000:]}")
    line = [l for l in p.stdout.splitlines() if l.startswith("{")][-1]
    return json.loads(line)


def run_tier(args, n, res):
    work = Path(args.work)
    bin_ = args.bin
    corpus = work / f"corpus-{n}"
    data = work / f"data-{n}"
    r = res.setdefault(str(n), {})

    def step(name, fn):
        if name in r and "error" not in r[name]:
            return
        if name in args.skip:
            r[name] = {"error": f"not run (--skip {name})"}
            save(args, res)
            return
        log(f"[{n}] {name} …")
        t0 = time.time()
        try:
            r[name] = fn()
        except Exception as e:  # a failed step is reported, the others go on
            r[name] = {"error": str(e)[-1500:]}
        log(f"[{n}] {name}: {time.time() - t0:.1f}s {json.dumps(r[name])[:300]}")
        save(args, res)

    def gen():
        if not (corpus / "EXPECTED.json").exists():
            subprocess.run([bin_, "gen-corpus", "--docs", str(n), "--seed", "1", corpus], check=True)
        files = corpus_files(corpus)
        return {"documents": len(files), "bytes": sum(f.stat().st_size for f in files)}

    step("corpus", gen)
    nbytes = r["corpus"]["bytes"]
    ndocs = r["corpus"]["documents"]

    def ingest():
        if data.exists():
            shutil.rmtree(data)
        wall, rss, out = timed([bin_, "--data", data, "ingest", "--format", "json", "--rules", ROOT / "rules", corpus])
        summary = json.loads(out)
        index = du(data / "index") if (data / "index").exists() else None
        return {
            "seconds": wall,
            "rss": rss,
            "docs_per_s": ndocs / wall,
            "mb_per_s": nbytes / 1e6 / wall,
            "summary": summary,
            "data_bytes": du(data),
            "index_bytes": index,
        }

    step("ingest", ingest)

    def check_all():
        out_path = work / f"findings-{n}.json"
        with open(out_path, "wb") as f:
            wall, rss, _ = timed(
                [bin_, "--data", data, "check", "--as-of", AS_OF, "--format", "json", "--rules", ROOT / "rules"],
                stdout=f,
            )
        got = json.load(open(out_path, encoding="utf-8"))["findings"]
        exp = json.load(open(corpus / "EXPECTED.json", encoding="utf-8"))["findings"]
        return {"seconds": wall, "rss": rss, "findings": len(got), "score": score(exp, got)}

    step("check", check_all)

    def incremental():
        extra = one_more_document(corpus, work / f"extra-{n}")
        # Work on a copy, so the tier's store stays as measured.
        inc = work / f"data-{n}-plus1"
        if inc.exists():
            shutil.rmtree(inc)
        shutil.copytree(data, inc)
        # The copy's pages written out first: the ingest is measured, not the copy's writeback.
        os.sync()
        wi, ri, _ = timed([bin_, "--data", inc, "ingest", "--format", "json", "--rules", ROOT / "rules", extra])
        with open(os.devnull, "wb") as f:
            wc, rc, _ = timed(
                [bin_, "--data", inc, "check", "--as-of", AS_OF, "--format", "json", "--rules", ROOT / "rules"],
                stdout=f,
            )
        shutil.rmtree(inc)
        return {"ingest_seconds": wi, "ingest_rss": ri, "check_seconds": wc, "check_rss": rc, "total_seconds": wi + wc}

    step("incremental", incremental)

    def floor():
        files = [str(p) for p in corpus_files(corpus)]
        # xargs keeps the command line short; grep reads every byte once.
        t0 = time.perf_counter()
        p = subprocess.run(
            "find . -name '*.txt' -print0 | xargs -0 grep -c 'Điều' | awk -F: '{s+=$NF} END {print s}'",
            shell=True,
            cwd=corpus,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - t0
        return {"seconds": wall, "mb_per_s": nbytes / 1e6 / wall, "lines": int(p.stdout.strip() or 0), "files": len(files)}

    step("grep_floor", floor)

    def parse():
        return probe(args, "parse", corpus)

    step("parse", parse)

    def search():
        return probe(args, "search", data, work / f"search-{n}")

    step("search", search)

    def overlap():
        err = pip_install("datasketch")
        if err:
            os.environ["RASOAT_BENCH_NO_DATASKETCH"] = err
        elif n > args.datasketch_max:
            os.environ["RASOAT_BENCH_NO_DATASKETCH"] = f"not run above {args.datasketch_max} documents (--datasketch-max)"
        try:
            out = probe(args, "overlap", data, corpus / "EXPECTED.json", work / f"overlap-{n}")
        finally:
            os.environ.pop("RASOAT_BENCH_NO_DATASKETCH", None)
        out["datasketch_install"] = err
        return out

    step("overlap", overlap)


    for part, files in [
        ("load", []),
        ("status", ["status.rule"]),
        ("conflicts", ["conflict.rule"]),
        ("overlaps", ["overlap.rule"]),
    ]:
        def check_part(files=files, part=part):
            d = rules_subset(work, part, files)
            wall, rss, _ = timed(
                [bin_, "--data", data, "check", "--as-of", AS_OF, "--format", "json", "--rules", d],
                stdout=subprocess.DEVNULL,
            )
            return {"seconds": wall, "rss": rss}

        step(f"check_{part}", check_part)


def save(args, res):
    Path(args.work).mkdir(parents=True, exist_ok=True)
    with open(Path(args.work) / "results.json", "w", encoding="utf-8") as f:
        json.dump(res, f, indent=2, ensure_ascii=False)


def g(r, *path):
    for p in path:
        if not isinstance(r, dict) or p not in r:
            return None
        r = r[p]
    return r


def svg(res, tiers, path):
    """Time against corpus size, per stage, log-log: hand-written SVG."""
    import math

    series = [
        ("ingest", ("ingest", "seconds"), "#1f77b4"),
        ("check (all rules)", ("check", "seconds"), "#d62728"),
        ("check: load + status engine", ("check_load", "seconds"), "#7f7f7f"),
        ("check: status rules", ("check_status", "seconds"), "#2ca02c"),
        ("check: conflict rules", ("check_conflicts", "seconds"), "#ff7f0e"),
        ("check: overlap rules", ("check_overlaps", "seconds"), "#9467bd"),
        ("+1 document: ingest + check", ("incremental", "total_seconds"), "#8c564b"),
        ("grep -c (read once)", ("grep_floor", "seconds"), "#17becf"),
    ]
    pts = []
    for name, p, color in series:
        xs = [(n, g(res.get(str(n), {}), *p)) for n in tiers]
        xs = [(n, v) for n, v in xs if isinstance(v, (int, float)) and v > 0]
        pts.append((name, color, xs))
    vals = [v for _, _, xs in pts for _, v in xs]
    if not vals:
        return
    W, H, L, R, T, B = 860, 520, 70, 250, 30, 60
    xmin, xmax = math.log10(min(tiers)), math.log10(max(tiers))
    if xmax == xmin:
        xmax += 1
    ymin = math.floor(math.log10(min(vals)))
    ymax = math.ceil(math.log10(max(vals)))
    if ymax == ymin:
        ymax += 1

    def X(n):
        return L + (math.log10(n) - xmin) / (xmax - xmin) * (W - L - R)

    def Y(v):
        return H - B - (math.log10(v) - ymin) / (ymax - ymin) * (H - T - B)

    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">']
    o.append(f'<rect width="{W}" height="{H}" fill="white"/>')
    o.append(f'<text x="{L}" y="18" font-size="14">rasoat: time against corpus size (log-log), generated corpora</text>')
    for e in range(ymin, ymax + 1):
        y = Y(10**e)
        o.append(f'<line x1="{L}" y1="{y:.1f}" x2="{W - R}" y2="{y:.1f}" stroke="#ddd"/>')
        o.append(f'<text x="{L - 6}" y="{y + 4:.1f}" text-anchor="end">{10**e:g} s</text>')
    for n in tiers:
        x = X(n)
        o.append(f'<line x1="{x:.1f}" y1="{T}" x2="{x:.1f}" y2="{H - B}" stroke="#eee"/>')
        o.append(f'<text x="{x:.1f}" y="{H - B + 18}" text-anchor="middle">{n:,} docs</text>')
    o.append(f'<line x1="{L}" y1="{H - B}" x2="{W - R}" y2="{H - B}" stroke="black"/>')
    o.append(f'<line x1="{L}" y1="{T}" x2="{L}" y2="{H - B}" stroke="black"/>')
    for i, (name, color, xs) in enumerate(pts):
        if len(xs) > 1:
            d = " ".join(f"{X(n):.1f},{Y(v):.1f}" for n, v in xs)
            o.append(f'<polyline points="{d}" fill="none" stroke="{color}" stroke-width="2"/>')
        for n, v in xs:
            o.append(f'<circle cx="{X(n):.1f}" cy="{Y(v):.1f}" r="3" fill="{color}"><title>{name}: {v:.3g} s at {n}</title></circle>')
        ly = T + 10 + i * 20
        o.append(f'<line x1="{W - R + 15}" y1="{ly}" x2="{W - R + 35}" y2="{ly}" stroke="{color}" stroke-width="2"/>')
        o.append(f'<text x="{W - R + 40}" y="{ly + 4}">{name}</text>')
    o.append(f'<text x="{(L + W - R) / 2:.0f}" y="{H - 15}" text-anchor="middle">documents (log scale)</text>')
    o.append("</svg>")
    Path(path).write_text("\n".join(o) + "\n", encoding="utf-8")


def fmt(v, f="{:.2f}"):
    return "—" if v is None else f.format(v)


def report(res, tiers, machine):
    L = []
    L.append(f"Machine: {machine}. Review date of the generated corpora: {AS_OF}.")
    L.append("")
    L.append("| | " + " | ".join(f"{n:,} docs" for n in tiers) + " |")
    L.append("| --- |" + " ---: |" * len(tiers))

    def row(label, f):
        L.append(f"| {label} | " + " | ".join(f(res.get(str(n), {})) for n in tiers) + " |")

    MB = 1e6
    row("corpus size (MB)", lambda r: fmt(g(r, "corpus", "bytes") and g(r, "corpus", "bytes") / MB, "{:.1f}"))
    row("parse (MB/s, all cores)", lambda r: fmt(g(r, "parse", "mb_per_s"), "{:.1f}"))
    row("parse (MB/s, one core)", lambda r: fmt(g(r, "parse", "mb_per_s_one_core"), "{:.1f}"))
    row("ingest: parse + store + index (s)", lambda r: fmt(g(r, "ingest", "seconds"), "{:.1f}"))
    row("ingest (documents/s)", lambda r: fmt(g(r, "ingest", "docs_per_s"), "{:.0f}"))
    row("ingest (MB/s)", lambda r: fmt(g(r, "ingest", "mb_per_s"), "{:.2f}"))
    row("ingest peak RSS (MiB)", lambda r: fmt(g(r, "ingest", "rss") and g(r, "ingest", "rss") / 2**20, "{:.0f}"))
    row("store + index on disk (MB)", lambda r: fmt(g(r, "ingest", "data_bytes") and g(r, "ingest", "data_bytes") / MB, "{:.0f}"))
    row("of which search index (MB)", lambda r: fmt(g(r, "ingest", "index_bytes") and g(r, "ingest", "index_bytes") / MB, "{:.0f}"))
    row("check, all rules (s)", lambda r: fmt(g(r, "check", "seconds"), "{:.1f}"))
    row("check peak RSS (MiB)", lambda r: fmt(g(r, "check", "rss") and g(r, "check", "rss") / 2**20, "{:.0f}"))
    row("check: load + status engine only (s)", lambda r: fmt(g(r, "check_load", "seconds"), "{:.1f}"))
    row("check: status rules (s)", lambda r: fmt(g(r, "check_status", "seconds"), "{:.1f}"))
    row("check: conflict rules (s)", lambda r: fmt(g(r, "check_conflicts", "seconds"), "{:.1f}"))
    row("check: overlap rules (s)", lambda r: fmt(g(r, "check_overlaps", "seconds"), "{:.1f}"))

    def pr(r):
        sc = g(r, "check", "score") or {}
        if not sc:
            return "—"
        e = sum(v["expected"] for v in sc.values())
        f = sum(v["found"] for v in sc.values())
        m = sum(v["matched"] for v in sc.values())
        return f"{m}/{e} recall, {m}/{f} precision"

    row("findings vs planted", pr)
    row("+1 document: ingest (s)", lambda r: fmt(g(r, "incremental", "ingest_seconds"), "{:.2f}"))
    row("+1 document: re-check (s)", lambda r: fmt(g(r, "incremental", "check_seconds"), "{:.2f}"))
    row("search p50 / p99 (ms)", lambda r: f'{fmt(g(r, "search", "rasoat_p50_ms"), "{:.3f}")} / {fmt(g(r, "search", "rasoat_p99_ms"), "{:.3f}")}')
    row("search as answered (total up to 10,000, snippets) p50 / p99 (ms)", lambda r: f'{fmt(g(r, "search", "answered_p50_ms"), "{:.3f}")} / {fmt(g(r, "search", "answered_p99_ms"), "{:.3f}")}')
    row("search with the exact total p50 / p99 (ms)", lambda r: f'{fmt(g(r, "search", "exact_total_p50_ms"), "{:.3f}")} / {fmt(g(r, "search", "exact_total_p99_ms"), "{:.3f}")}')
    row("FTS5 ranked top-10 p50 / p99 (ms)", lambda r: f'{fmt(g(r, "search", "fts5_p50_ms"), "{:.3f}")} / {fmt(g(r, "search", "fts5_p99_ms"), "{:.3f}")}')
    row("p50 ratio FTS5 / rasoat", lambda r: fmt(g(r, "search", "fts5_p50_ms") and g(r, "search", "rasoat_p50_ms") and g(r, "search", "fts5_p50_ms") / g(r, "search", "rasoat_p50_ms"), "{:.1f}×"))
    row("queries answered, rasoat / FTS5", lambda r: f'{fmt(g(r, "search", "rasoat_correct"), "{}")} / {fmt(g(r, "search", "fts5_correct"), "{}")} of {fmt(g(r, "search", "queries"), "{}")}')
    row("unaccented queries answered, rasoat / FTS5", lambda r: f'{fmt(g(r, "search", "rasoat_correct_unaccented"), "{}")} / {fmt(g(r, "search", "fts5_correct_unaccented"), "{}")}')
    row("FTS5 insert (MB/s of provision text)", lambda r: fmt(g(r, "search", "fts5_insert_mb_per_s"), "{:.2f}"))
    row("ingest MB/s ÷ FTS5 insert MB/s", lambda r: fmt(g(r, "ingest", "mb_per_s") and g(r, "search", "fts5_insert_mb_per_s") and g(r, "ingest", "mb_per_s") / g(r, "search", "fts5_insert_mb_per_s"), "{:.2f}"))
    row("overlap: rasoat MinHash/LSH (s)", lambda r: fmt(g(r, "overlap", "rasoat_seconds"), "{:.3f}"))
    row("overlap: datasketch MinHashLSH (s)", lambda r: fmt(g(r, "overlap", "datasketch_seconds"), "{:.1f}") if not g(r, "overlap", "datasketch_error") else "not run: " + g(r, "overlap", "datasketch_error")[:80])
    row("overlap speed-up", lambda r: fmt(g(r, "overlap", "datasketch_seconds") and g(r, "overlap", "rasoat_seconds") and g(r, "overlap", "datasketch_seconds") / g(r, "overlap", "rasoat_seconds"), "{:.0f}×"))
    row("overlap recall of planted pairs, rasoat / datasketch", lambda r: f'{fmt(g(r, "overlap", "rasoat_recall"), "{:.3f}")} / {fmt(g(r, "overlap", "datasketch_recall"), "{:.3f}")}')
    row("grep -c floor (s)", lambda r: fmt(g(r, "grep_floor", "seconds"), "{:.2f}"))
    row("grep -c floor (MB/s)", lambda r: fmt(g(r, "grep_floor", "mb_per_s"), "{:.0f}"))
    errors = [(n, k, v["error"]) for n in tiers for k, v in res.get(str(n), {}).items() if isinstance(v, dict) and "error" in v]
    if errors:
        L.append("")
        L.append("Steps that failed:")
        for n, k, e in errors:
            L.append(f"- {n} {k}: {e.splitlines()[-1] if e else e}")
    return "\n".join(L) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tiers", default="1000,10000,100000")
    ap.add_argument("--work", default="/tmp/rasoat-bench")
    ap.add_argument("--bin", default=str(ROOT / "target/release/rasoat"))
    ap.add_argument("--fresh", action="store_true")
    ap.add_argument("--report-only", action="store_true")
    ap.add_argument("--probe", default=None, help="a built scale_probe binary (default: through cargo bench)")
    ap.add_argument("--skip", action="append", default=[], help="a step not to run (repeatable)")
    ap.add_argument(
        "--datasketch-max",
        type=int,
        default=1000,
        help="largest tier datasketch runs on (at 10k it ran over 9 minutes and past 6 GB before it was stopped)",
    )
    ap.add_argument("--merge", action="append", default=[], help="another results.json to report with this one")
    ap.add_argument("--svg-to", default=None)
    args = ap.parse_args()
    tiers = [int(x) for x in args.tiers.split(",")]
    Path(args.work).mkdir(parents=True, exist_ok=True)
    rp = Path(args.work) / "results.json"
    res = {} if args.fresh or not rp.exists() else json.load(open(rp, encoding="utf-8"))
    for m in args.merge:
        for k, v in json.load(open(m, encoding="utf-8")).items():
            res.setdefault(k, {}).update(v)
    if not args.report_only:
        if not shutil.which("/usr/bin/time"):
            sys.exit("/usr/bin/time is missing (Debian: apt-get install time)")
        for n in tiers:
            run_tier(args, n, res)
    cpu = subprocess.run("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2", shell=True, capture_output=True, text=True).stdout.strip()
    machine = f"{os.cpu_count()} cores ({cpu}), {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB RAM, {time.strftime('%Y-%m-%d')}"
    text = report(res, tiers, machine)
    (Path(args.work) / "report.md").write_text(text, encoding="utf-8")
    svg(res, tiers, Path(args.work) / "scaling.svg")
    if args.svg_to:
        shutil.copy(Path(args.work) / "scaling.svg", args.svg_to)
    print(text)


if __name__ == "__main__":
    main()
