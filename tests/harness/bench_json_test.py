#!/usr/bin/python3
"""billion_bench --benchmark_format=json parses, with one verified benchmark per strategy."""
import json
import os
import subprocess
import sys

exe = sys.argv[1]
env = dict(os.environ, BILLION_BENCH_FILES="2000")
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
