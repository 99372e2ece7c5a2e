#!/usr/bin/env python3
"""The SQLite FTS5 side of `cargo bench --bench search_vs_fts5`.

Usage: fts5_bench.py ENTRIES.jsonl QUERIES.json OUT.json REPS DB

Loads the entries (one JSON object a line: rowid, text) into an FTS5 table with
`unicode61 remove_diacritics 2` in one transaction, then runs each query REPS times as a ranked
top-10 (`ORDER BY rank LIMIT 10`), and writes the build time, every latency and each query's
top-10 rowids to OUT.json.
"""
import json
import sqlite3
import sys
import time


def main():
    entries_path, queries_path, out_path, reps, db = sys.argv[1:6]
    reps = int(reps)
    rows = []
    with open(entries_path, encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            rows.append((e["rowid"], e["text"]))
    with open(queries_path, encoding="utf-8") as f:
        queries = json.load(f)

    con = sqlite3.connect(db)
    t0 = time.perf_counter()
    con.execute(
        "CREATE VIRTUAL TABLE e USING fts5(text, tokenize = 'unicode61 remove_diacritics 2')"
    )
    with con:
        con.executemany("INSERT INTO e (rowid, text) VALUES (?, ?)", rows)
    build = time.perf_counter() - t0

    sql = "SELECT rowid FROM e WHERE e MATCH ? ORDER BY rank LIMIT 10"
    top = []
    errors = []
    for q in queries:
        try:
            top.append([r[0] for r in con.execute(sql, (q,)).fetchall()])
            errors.append(None)
        except sqlite3.Error as ex:
            top.append([])
            errors.append(str(ex))
    latencies = [[] for _ in queries]
    for _ in range(reps):
        for i, q in enumerate(queries):
            t = time.perf_counter()
            try:
                con.execute(sql, (q,)).fetchall()
            except sqlite3.Error:
                pass
            latencies[i].append(time.perf_counter() - t)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(
            {
                "sqlite_version": sqlite3.sqlite_version,
                "build_seconds": build,
                "top": top,
                "errors": errors,
                "latencies": latencies,
            },
            f,
        )


if __name__ == "__main__":
    main()
