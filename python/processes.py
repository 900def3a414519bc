"""The talk's multi-process program: a pool of processes, each with its own Session, fed names.

LIST a page (the main process), HAND OFF its names (the pool's task queue), DOWNLOAD and
WRITE (each worker process). The next page is listed while the pool works on this one.
Usage: python3 processes.py URL OUT [--shard-width W] [--processes 16]
"""

import multiprocessing
import sys

import blocking
import talk

ARGS = SESSION = TREE = None  # each worker process's own


def start_worker(args):
    global ARGS, SESSION, TREE
    talk.die_with_parent()
    ARGS, SESSION, TREE = args, blocking.session(), talk.Tree(args.out, args.shard_width)


def download(name):
    """In a worker: one file; its failures go back to the main process with the result."""
    blocking.download(SESSION, ARGS.url, TREE, name)
    failed, TREE.failures = TREE.failures, []
    return failed


def main():
    args = talk.arguments(__doc__, processes=16)
    tree = talk.Tree(args.out, args.shard_width)
    with multiprocessing.Pool(args.processes, start_worker, (args,)) as pool, blocking.session() as s:
        working = None  # the page the pool works on: at most two pages of names held
        for page in blocking.pages(s, args.url):
            listed = pool.map_async(download, page)
            for failed in working.get() if working else []:
                tree.failures += failed
            working = listed
        for failed in working.get() if working else []:
            tree.failures += failed
    return tree.finish("python-processes")


if __name__ == "__main__":
    sys.exit(main())
