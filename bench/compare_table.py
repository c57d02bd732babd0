#!/usr/bin/env python3
"""The table of bench/compare.sh: medians over the rounds of the peer's bench.sh, per query and
server, with the ratios issue 9 sets targets on. Usage: compare_table.py RESULTS_DIR"""

import csv
import glob
import os
import statistics
import sys

SERVERS = ["postgraphile", "ceiling", "talentgraph-postgres", "talentgraph-sqlite"]
QUERIES = {
    "q1_role_by_id": "Q1 role by id + requirements + skill names",
    "q2_candidates_with_skills": "Q2 first 50 candidates + skills",
    "q3_experienced_candidates": "Q3 candidates >= 10 years, first 20",
}


def rows_of(results, server):
    out = {}
    for path in sorted(glob.glob(os.path.join(results, server, "*", "summary.tsv"))):
        with open(path) as f:
            for row in csv.DictReader(f, delimiter="\t"):
                out.setdefault(row["query"], []).append(row)
    return out


def median(rows, key):
    values = [float(r[key]) for r in rows if r[key] not in ("NA", "")]
    return statistics.median(values) if values else None


def fmt(value, digits=2):
    return "–" if value is None else f"{value:,.{digits}f}"


def ratio(a, b):
    return None if a is None or b in (None, 0) else a / b


def main():
    results = sys.argv[1]
    rss = {}
    if os.path.exists(os.path.join(results, "peak_rss.txt")):
        for line in open(os.path.join(results, "peak_rss.txt")):
            name, mib = line.split()
            rss[name] = int(mib)
    data = {s: rows_of(results, s) for s in SERVERS}
    print("| query | server | req/s | p50 ms | p99 ms | server CPU ms/req | PostgreSQL CPU ms/req | peak RSS MiB "
          "| req/s ÷ PostGraphile | CPU ÷ ceiling | CPU ÷ PostGraphile | runs |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for query, title in QUERIES.items():
        base = {}
        for server in SERVERS:
            rows = data[server].get(query, [])
            base[server] = {k: median(rows, k) for k in ("rps", "p50_ms", "p99_ms", "server_cpu_ms_per_req", "pg_cpu_ms_per_req")}
            base[server]["runs"] = len(rows)
        for server in SERVERS:
            m = base[server]
            if not m["runs"]:
                continue
            pg = m["pg_cpu_ms_per_req"] if server in ("postgraphile", "talentgraph-postgres") else None
            print(f"| {title} | {server} | {fmt(m['rps'], 0)} | {fmt(m['p50_ms'])} | {fmt(m['p99_ms'])} "
                  f"| {fmt(m['server_cpu_ms_per_req'], 3)} | {fmt(pg, 3)} | {rss.get(server, '–')} "
                  f"| {fmt(ratio(m['rps'], base['postgraphile']['rps']))}× "
                  f"| {fmt(ratio(m['server_cpu_ms_per_req'], base['ceiling']['server_cpu_ms_per_req']))}× "
                  f"| {fmt(ratio(m['server_cpu_ms_per_req'], base['postgraphile']['server_cpu_ms_per_req']))}× "
                  f"| {m['runs']} |")
    idle = os.path.join(results, "idle_rss.txt")
    if os.path.exists(idle):
        print(f"\nidle RSS after `serve --demo`: {open(idle).read().strip()} MiB")


if __name__ == "__main__":
    main()
