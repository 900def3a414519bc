#!/usr/bin/python3
"""Every command of docs/workshop.md runs as written (from the repository root) and succeeds."""
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
doc = open(os.path.join(ROOT, "docs", "workshop.md")).read()
commands = [line.strip() for block in re.findall(r"```sh\n(.*?)```", doc, re.S) for line in block.splitlines()
            if line.strip() and not line.strip().startswith("#")]
# Inline commands of the code exercises that need no code change.
commands += [c for c in re.findall(r"`(build/harness/billion [^`]+)`", doc) if c not in commands]
assert len(commands) >= 8, commands
# Each measuring command runs once here: whether its lesson holds is scripts/workshop-check's
# question (many runs); this test asks that every command, as written, runs and succeeds.
commands = [re.sub(r"billion (compare|sweep|talk) ", r"billion \1 --repeat 1 ", c) for c in commands]
# What the guide claims that does not depend on timing, by a piece of the command: each run
# of such a command must print these.
claims = {
    "--max-time": ["yes, capped", "capped: --max-time ended the listing"],
    "--files 500M --sink files": ["do not fit", "--sink sqlite"],
    "talk --": ["why it can differ here", "the talk: "],
    "--files 20k --sink files": ["10^9 files"],
}
failed = 0
for cmd in commands:
    r = subprocess.run(cmd, shell=True, cwd=ROOT, capture_output=True, text=True, timeout=240)
    missing = [text for piece, texts in claims.items() if piece in cmd for text in texts
               if text not in r.stdout + r.stderr]
    if r.returncode != 0 or missing:
        failed += 1
        print(f"FAILED ({r.returncode}, missing {missing}): {cmd}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}",
              file=sys.stderr)
print(f"{len(commands) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
