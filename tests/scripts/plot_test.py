#!/usr/bin/python3
"""scripts/plot renders compare and sweep fixtures to PNG, and refuses what is not a result."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PLOT = os.path.join(HERE, "..", "..", "scripts", "plot")


def run(*args):
    return subprocess.run([sys.executable, PLOT, *args], capture_output=True, text=True)


class PlotTest(unittest.TestCase):
    def render(self, fixture, extra=()):
        with tempfile.TemporaryDirectory() as out:
            r = run(os.path.join(HERE, "fixtures", fixture), "--out", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            png = os.path.join(out, fixture.replace(".json", ".png"))
            self.assertEqual(r.stdout.split(), [png] + [os.path.join(out, e) for e in extra])
            with open(png, "rb") as f:
                data = f.read()
            self.assertTrue(data.startswith(b"\x89PNG\r\n\x1a\n"))
            self.assertGreater(len(data), 10_000)

    def test_compare(self):
        self.render("compare.json")

    def test_sweep(self):
        self.render("sweep.json")

    def test_sizes_draw_the_fitted_line(self):
        # Three sizes per strategy: the comparison, and the sizes chart with each fit.
        self.render("sizes.json", extra=["sizes-sizes.png"])

    def test_an_unverified_run_still_renders(self):
        self.render("unverified.json")

    def test_crossover(self):
        # Every strategy at four injected latencies (compare --latency 0,100us,1ms,5ms).
        self.render("crossover.json")

    def test_pipelined_rows_join_the_crossover_chart(self):
        # A second file of the same grid run with --pipeline 8: its rows become dotted lines.
        with open(os.path.join(HERE, "fixtures", "crossover.json")) as f:
            doc = json.load(f)
        for key in ("summary", "runs"):
            doc[key] = [dict(r, knobs=dict(r["knobs"], pipeline=8)) for r in doc.get(key, [])
                        if r["strategy"] == "async"]
        with tempfile.TemporaryDirectory() as out:
            piped = os.path.join(out, "piped.json")
            with open(piped, "w") as f:
                json.dump(doc, f)
            r = run(os.path.join(HERE, "fixtures", "crossover.json"), piped, "--out", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout.split(), [os.path.join(out, "crossover.png")])
            # Several files make one crossover chart; results at one latency cannot.
            r = run(os.path.join(HERE, "fixtures", "compare.json"), piped, "--out", out)
            self.assertEqual(r.returncode, 2)
            self.assertIn("several files make one crossover chart", r.stderr)

    def test_talk_schema_3_with_intervals(self):
        # billion talk, schema 3: per-file intervals, the talk's numbers beside the measured ones.
        self.render("talk.json")

    def test_refuses_other_json(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            f.write('{"hello": 1}')
            f.flush()
            r = run(f.name)
            self.assertEqual(r.returncode, 2)
            self.assertIn("not a billion results document", r.stderr)


if __name__ == "__main__":
    unittest.main()
