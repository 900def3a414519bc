"""The talk's single async loop: one thread, one aiohttp session, a bounded number in flight.

LIST a page (one task), HAND OFF its names (a bounded asyncio queue), DOWNLOAD and WRITE
(as many tasks as connections). Everything runs on one core.
Usage: python3 async_loop.py URL OUT [--shard-width W] [--concurrency 100]
"""

import asyncio
import sys

import aio
import talk


async def run(args, tree):
    names = asyncio.Queue(maxsize=2 * args.concurrency)  # bounded: memory does not grow with the catalog
    async with aio.session(args.concurrency) as s:

        async def worker():
            while (name := await names.get()) is not None:
                await aio.download(s, args.url, tree, name)

        workers = [asyncio.create_task(worker()) for _ in range(args.concurrency)]
        try:
            async for page in aio.pages(s, args.url):
                for name in page:
                    await names.put(name)
        finally:
            for _ in workers:
                await names.put(None)
            await asyncio.gather(*workers)


def main():
    args = talk.arguments(__doc__, concurrency=100)
    tree = talk.Tree(args.out, args.shard_width)
    asyncio.run(run(args, tree))
    return tree.finish("python-asyncio")


if __name__ == "__main__":
    sys.exit(main())
