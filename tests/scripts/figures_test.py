"""scripts/figures: the docs' figures all have a kept run behind them, and a planted wrong
figure, or a figure with no source, is caught (the check can fail)."""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIGURES = os.path.join(ROOT, "scripts", "figures")


def check(*docs):
    return subprocess.run([sys.executable, FIGURES, *docs], cwd=ROOT, capture_output=True, text=True)


def first_rate(md):
    """The files/s of the first row of a kept billion table: a figure the file holds."""
    for line in open(os.path.join(ROOT, md), encoding="utf-8"):
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 7 and cells[1] and cells[2].replace(",", "").isdigit():
            return cells[1], cells[6]
    raise AssertionError(f"no table row in {md}")


def main():
    docs = check()
    assert docs.returncode == 0, "the docs have figures without a kept run:\n" + docs.stdout + docs.stderr

    md = "results/2vcpu/compare-null.md"
    strategy, rate = first_rate(md)
    with tempfile.TemporaryDirectory() as tmp:
        doc = os.path.join(tmp, "planted.md")
        with open(doc, "w", encoding="utf-8") as f:
            f.write(f"In `{md}` {strategy} ran {rate} files/s.\n\n")              # true, cited
            f.write(f"In `{md}` {strategy} ran 999,917 files/s.\n\n")              # planted: wrong
            f.write(f"Elsewhere {strategy} ran {rate} files/s.\n\n")               # true, but cites nothing
            f.write(f"The talk's sync took 3.0 ms a request, a setting of 5 ms of latency.\n")  # allowed
        out = check(doc)
        lines = out.stdout.splitlines()
        assert out.returncode == 1, out.stdout + out.stderr
        assert len(lines) == 2, "expected exactly the two bad figures:\n" + out.stdout
        assert "999,917 files/s is not in" in lines[0] and ":3:" in lines[0], lines[0]
        assert "cites no kept results file" in lines[1] and ":5:" in lines[1], lines[1]
    print("figures: the docs pass; a planted figure and an unsourced one are caught")


if __name__ == "__main__":
    main()
