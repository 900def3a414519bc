"""The talk's processes + async loops: each process runs an asyncio loop and owns a page at a time.

A token (the next page's marker) goes from process to process: the one holding it LISTs
that page, HANDs OFF the token with the page's next marker to whichever process asks
next, then DOWNLOADs and WRITEs the page's files on its own loop.
Usage: python3 combo.py URL OUT [--shard-width W] [--processes 16] [--concurrency 100]
"""

import asyncio
import multiprocessing
import sys

import aio
import talk

END = ("end",)  # no page left; passed on, so every process sees it


async def run(args, tokens, tree):
    async with aio.session(args.concurrency) as s:
        while True:
            token = await asyncio.to_thread(tokens.get)  # this loop has nothing else to do
            if token == END:
                tokens.put(END)
                return
            try:
                names, marker = await aio.page(s, args.url, token[1])
            except Exception as e:  # the listing ends: every process stops after its page
                tokens.put(END)
                return tree.fail(f"listing: {e}")
            tokens.put(("page", marker) if marker is not None else END)
            await asyncio.gather(*(aio.download(s, args.url, tree, name) for name in names))


def worker(args, tokens):
    talk.die_with_parent()
    tree = talk.Tree(args.out, args.shard_width)
    asyncio.run(run(args, tokens, tree))
    sys.exit(tree.finish("python-combo worker"))


def main():
    args = talk.arguments(__doc__, processes=16, concurrency=100)
    tokens = multiprocessing.Queue()
    tokens.put(("page", None))  # the first page
    # Daemons: a program stopped by Ctrl-C ends its workers.
    workers = [multiprocessing.Process(target=worker, args=(args, tokens), daemon=True) for _ in range(args.processes)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    failed = sum(w.exitcode != 0 for w in workers)
    if failed:
        print(f"python-combo: {failed} of {len(workers)} processes failed", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
