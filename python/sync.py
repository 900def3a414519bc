"""The talk's synchronous program: one Session, one request at a time.

LIST a page, HAND OFF nothing, DOWNLOAD each file, WRITE it; then the next page.
Usage: python3 sync.py URL OUT [--shard-width W]
"""

import sys

import blocking
import talk


def main():
    args = talk.arguments(__doc__)
    tree = talk.Tree(args.out, args.shard_width)
    with blocking.session() as s:
        for names in blocking.pages(s, args.url):
            for name in names:
                blocking.download(s, args.url, tree, name)
    return tree.finish("python-sync")


if __name__ == "__main__":
    sys.exit(main())
