#!/usr/bin/env python3
"""Prints bench/run.sh's results as a markdown table: ceiling, Freshet, ratio and the issue's target per row."""
import json
import os
import sys

out, mode, idle_kb, peak_kb = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])


def load(target, label):
    path = os.path.join(out, f"{target}-{label}.json")
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


rows = []
# Rows in the order they ran.
files = [f for f in os.listdir(out) if f.startswith("freshet-") and f.endswith(".json") and "-fill" not in f]
labels = [f[len("freshet-"):-5] for f in sorted(files, key=lambda f: os.path.getmtime(os.path.join(out, f)))]
for label in labels:
    c, f = load("ceiling", label), load("freshet", label)
    if label.startswith("produce") or label.startswith("consume"):
        key, unit = ("records_per_sec", "records/s") if label.startswith("produce") else ("mb_per_sec", "MB/s")
        cv = c[key] if c else None
        fv = f[key] if f else None
        ratio = fv / cv if cv and fv is not None else None
        ok = ratio is not None and ratio >= 0.85
        rows.append((label, unit, f"{cv:,.0f}" if cv else "-", f"{fv:,.0f}" if fv else "-",
                     f"{ratio:.0%}" if ratio is not None else "-", ">= 85%", "yes" if ok else "NO"))
    elif label.startswith("e2e"):
        cv = c["latency_ms"]["p99"] if c else None
        fv = f["latency_ms"]["p99"] if f else None
        diff = fv - cv if cv is not None and fv is not None else None
        rate = f["setup"]["target rate"] if f else "-"
        rows.append((f"{label} @ {rate}", "p99 ms", f"{cv:.2f}" if cv is not None else "-", f"{fv:.2f}" if fv is not None else "-",
                     f"{diff:+.2f} ms" if diff is not None else "-", "<= +2 ms", "yes" if diff is not None and diff <= 2 else "NO"))

print(f"### bench/run.sh --{mode}\n")
print("| row | unit | ceiling | freshet | freshet/ceiling | target | met |")
print("| --- | --- | ---: | ---: | ---: | --- | --- |")
for row in rows:
    print("| " + " | ".join(row) + " |")
print()
print(f"| freshet RSS | MB | target | met |")
print("| --- | ---: | --- | --- |")
print(f"| idle, after start | {idle_kb / 1024:.0f} | < 80 MB | {'yes' if idle_kb < 80 * 1024 else 'NO'} |")
print(f"| peak over the run (VmHWM) | {peak_kb / 1024:.0f} | < 300 MB | {'yes' if peak_kb < 300 * 1024 else 'NO'} |")
