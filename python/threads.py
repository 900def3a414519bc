"""The talk's thread pool: 10 threads, each with its own Session, fed names by a queue.

LIST a page (the main thread), HAND OFF its names (a bounded queue), DOWNLOAD and
WRITE (each worker thread). The threads take turns holding the GIL between requests.
Usage: python3 threads.py URL OUT [--shard-width W] [--workers 10]
"""

import queue
import sys
import threading

import blocking
import talk


def main():
    args = talk.arguments(__doc__, workers=10)
    tree = talk.Tree(args.out, args.shard_width)
    names = queue.Queue(maxsize=100 * args.workers)  # bounded: memory does not grow with the catalog

    def worker():
        with blocking.session() as s:
            while (name := names.get()) is not None:
                blocking.download(s, args.url, tree, name)

    # Daemons: a program stopped by Ctrl-C does not wait for them.
    workers = [threading.Thread(target=worker, daemon=True) for _ in range(args.workers)]
    for w in workers:
        w.start()
    try:
        with blocking.session() as s:
            for page in blocking.pages(s, args.url):
                for name in page:
                    names.put(name)
    finally:
        for _ in workers:
            names.put(None)
        for w in workers:
            w.join()
    return tree.finish("python-threads")


if __name__ == "__main__":
    sys.exit(main())
