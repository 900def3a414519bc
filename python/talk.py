"""Plumbing shared by the talk's five programs: the arguments, the API's pages, one file's
download, and the output tree. The programs differ only in who does each step concurrently.

They are the talk's programs, written from its description of each approach, so that
billion can time real Python beside its C++ rows and its model of Python (billion talk
--python). billion runs them and verifies what they wrote (harness/run/peers.cpp); the
contract they follow is docs/API.md. Like the talk's, they trust the server for
everything but names (a name is a path: it is checked before anything is written).
"""

import argparse
import os
import re
import sys
import urllib.parse

NAME = re.compile(r"[A-Za-z0-9._-]{1,255}")
MISSING_LIBRARY = 3  # the exit status billion reads as "install python3-requests/aiohttp"
TRIES = 5  # 429, 503 and other 5xx answers: asked again, up to this many times in all


def arguments(doc, **knobs):
    """The command line every program takes: the server, the output tree, its own knobs."""
    p = argparse.ArgumentParser(description=doc.splitlines()[0])
    p.add_argument("url", help="the server, e.g. http://127.0.0.1:8080")
    p.add_argument("out", help="the output directory (files go to OUT/SHARD/NAME)")
    p.add_argument("--shard-width", type=int, default=3, help="hex digits of a shard directory's name")
    for knob, default in knobs.items():
        p.add_argument("--" + knob, type=int, default=default)
    args = p.parse_args()
    args.url = args.url.rstrip("/")
    return args


def list_url(base, marker):
    """The page that marker points at (None: the first page); markers are opaque."""
    if marker is None:
        return base + "/list"
    return base + "/list?next-marker=" + urllib.parse.quote(marker, safe="")


def page_of(doc):
    """A page's names and its next marker (None: the last page)."""
    names = doc["FileNames"]
    if not isinstance(names, list):
        raise ValueError("FileNames is not a list")
    return names, doc.get("NextMarker")


class Walk:
    """Where the listing is: the marker of the next page (None: the first), and whether it
    ended. A marker that repeats an earlier one is a server fault: it would loop forever."""

    def __init__(self):
        self.marker, self.done, self._seen = None, False, set()

    def advance(self, marker):
        if marker in self._seen:
            raise ValueError(f"NextMarker {marker!r} repeats an earlier one")
        self._seen.add(marker)
        self.marker, self.done = marker, marker is None


def get_url(base, name):
    return base + "/get/" + name


def retry_after(status, headers, attempt):
    """Seconds to wait before asking again, or None when the answer is final."""
    if status != 429 and status < 500 or attempt + 1 >= TRIES:
        return None
    try:
        return min(float(headers.get("Retry-After", "")), 5.0)
    except ValueError:
        return 0.01 * 2**attempt


# The shard directory of a name: billion's rule (client/sinks/sink.cpp shard_of, over
# client/hash.cpp hash64), so billion verifies this tree as it verifies its own. A few
# microseconds of Python a name, against milliseconds of a request.
M64 = (1 << 64) - 1


def _mix64(x):
    x ^= x >> 33
    x = (x * 0xFF51AFD7ED558CCD) & M64
    x ^= x >> 33
    x = (x * 0xC4CEB9FE1A85EC53) & M64
    return x ^ (x >> 33)


def _hash64(data, seed):
    h = 0xCBF29CE484222325 ^ _mix64((seed + len(data)) & M64)
    words = len(data) // 8 * 8
    for i in range(0, words, 8):
        h = ((h ^ int.from_bytes(data[i : i + 8], "little")) * 0x100000001B3) & M64
    for byte in data[words:]:
        h = ((h ^ byte) * 0x100000001B3) & M64
    return _mix64(h)


def shard_of(name, width):
    h = _hash64(name.encode(), 0x5A4D)
    return "".join("0123456789abcdef"[(h >> (4 * i)) & 15] for i in range(width))


class Tree:
    """The output directory; counts what failed, and says so at the end."""

    def __init__(self, out, shard_width):
        self.out, self.width = out, shard_width
        self.failures = []  # list.append is atomic in CPython: threads share one Tree

    def write(self, name, body):
        path = os.path.join(self.out, shard_of(name, self.width))
        os.makedirs(path, exist_ok=True)
        # "x": never over a file already there (a name listed twice is a failure).
        with open(os.path.join(path, name), "xb") as f:
            f.write(body)

    def fail(self, what):
        self.failures.append(what)

    def check(self, name):
        """True when name may be a file's name (docs/API.md: Names)."""
        if isinstance(name, str) and NAME.fullmatch(name) and name not in (".", ".."):
            return True
        self.fail(f"refused name {name!r}")
        return False

    def finish(self, program):
        """The exit status: 0, or 1 with the failures counted on stderr."""
        if not self.failures:
            return 0
        print(f"{program}: {len(self.failures)} failed (first: {self.failures[0]})", file=sys.stderr)
        return 1


def need(*modules):
    """Imports the libraries the program uses, or exits with MISSING_LIBRARY."""
    try:
        return [__import__(m) for m in modules]
    except ImportError as e:
        print(f"{sys.argv[0]}: {e.name} is missing: install Debian's python3-requests and python3-aiohttp "
              "(scripts/setup)", file=sys.stderr)
        sys.exit(MISSING_LIBRARY)


def die_with_parent():
    """A worker process ends when the process that started it ends (Linux prctl
    PR_SET_PDEATHSIG): billion kills a program it stops, and no worker outlives it."""
    import ctypes
    import signal

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
