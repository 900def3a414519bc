#!/usr/bin/python3
"""billion_bench --benchmark_format=json parses, with one verified benchmark per strategy."""
import json
import os
import subprocess
import sys

exe = sys.argv[1]
# The catalog size takes the command line's suffixes; anything else is refused, not read as 0.
for bad in ("abc", "0", "-5"):
    r = subprocess.run([exe, "--benchmark_list_tests"], env=dict(os.environ, BILLION_BENCH_FILES=bad),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "BILLION_BENCH_FILES" in r.stderr, (bad, r.returncode, r.stderr)
listed = subprocess.run([exe, "--benchmark_list_tests"], env=dict(os.environ, BILLION_BENCH_FILES="5k"),
                        capture_output=True, text=True, timeout=60)
assert "files:5000" in listed.stdout, listed.stdout
env = dict(os.environ, BILLION_BENCH_FILES="2k")
out = subprocess.run([exe, "--benchmark_format=json", "--benchmark_min_time=0.01"], env=env,
                     capture_output=True, text=True, timeout=300)
assert out.returncode == 0, out.stderr
doc = json.loads(out.stdout)
names = [b["name"] for b in doc["benchmarks"]]
for s in ("sync", "threads", "processes", "async", "combo"):
    assert f"BM_Download/strategy:{s}/files:2000/real_time" in names, names
for b in doc["benchmarks"]:
    assert "error_occurred" not in b, b
    assert b["files_per_s"] > 0 and b["projected_days"] > 0, b
print("1 passed, 0 failed")
