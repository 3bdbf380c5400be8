#!/usr/bin/env python3
"""Prints bench/run.sh's results as a markdown table: ceiling, Freshet, ratio and the issue's target per row.

Files are <target>-<row>.<n>.json; a row's figure is the median over its repeats."""
import glob
import json
import os
import statistics
import sys

out, mode, repeat, idle_kb, peak_kb = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])


def results(target, row):
    found = []
    for path in glob.glob(os.path.join(out, f"{target}-{row}.*.json")):
        try:
            with open(path) as f:
                found.append(json.load(f))
        except (OSError, ValueError):
            pass
    return found


def median(values):
    return statistics.median(values) if values else None


# Rows in the order they ran.
files = sorted(glob.glob(os.path.join(out, "freshet-*.*.json")), key=os.path.getmtime)
rows_seen = []
for path in files:
    row = os.path.basename(path)[len("freshet-"):].rsplit(".", 2)[0]
    if row not in rows_seen:
        rows_seen.append(row)

table = []
for row in rows_seen:
    c, f = results("ceiling", row), results("freshet", row)
    if row.startswith("produce") or row.startswith("consume"):
        key, unit = ("records_per_sec", "records/s") if row.startswith("produce") else ("mb_per_sec", "MB/s")
        cv, fv = median([r[key] for r in c]), median([r[key] for r in f])
        ratio = fv / cv if cv and fv is not None else None
        table.append((row, unit, f"{cv:,.0f}" if cv else "-", f"{fv:,.0f}" if fv else "-",
                      f"{ratio:.0%}" if ratio is not None else "-", ">= 85%", "yes" if ratio is not None and ratio >= 0.85 else "NO"))
    elif row.startswith("e2e"):
        cv = median([r["latency_ms"]["p99"] for r in c])
        fv = median([r["latency_ms"]["p99"] for r in f])
        diff = fv - cv if cv is not None and fv is not None else None
        rate = f[0]["setup"]["target rate"] if f else "-"
        table.append((f"{row} @ {rate}", "p99 ms", f"{cv:.2f}" if cv is not None else "-", f"{fv:.2f}" if fv is not None else "-",
                      f"{diff:+.2f} ms" if diff is not None else "-", "<= +2 ms", "yes" if diff is not None and diff <= 2 else "NO"))

print(f"### bench/run.sh --{mode} (median of {repeat} run(s) per row)\n")
print("| row | unit | ceiling | freshet | freshet/ceiling | target | met |")
print("| --- | --- | ---: | ---: | ---: | --- | --- |")
for line in table:
    print("| " + " | ".join(line) + " |")
print()
print("| freshet RSS | MB | target | met |")
print("| --- | ---: | --- | --- |")
print(f"| idle, after start | {idle_kb / 1024:.0f} | < 80 MB | {'yes' if idle_kb < 80 * 1024 else 'NO'} |")
print(f"| peak over the run (VmHWM) | {peak_kb / 1024:.0f} | < 300 MB | {'yes' if peak_kb < 300 * 1024 else 'NO'} |")
