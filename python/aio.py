"""The async client of asyncio and combo: aiohttp, one ClientSession a loop."""

import asyncio
import json

import talk

(aiohttp,) = talk.need("aiohttp")


def session(connections):
    """At most `connections` requests in flight on this session."""
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=connections))


async def _get(s, url):
    """(status, body), asked again on 429, 5xx or a lost or cut connection (talk.TRIES in all).
    aiohttp refuses a body shorter than its Content-Length (ClientPayloadError)."""
    for attempt in range(talk.TRIES):
        try:
            async with s.get(url) as r:
                body = await r.read()
                wait = None if r.status == 200 else talk.retry_after(r.status, r.headers, attempt)
                if wait is None:
                    return r.status, body
        except aiohttp.ClientError:
            if attempt + 1 == talk.TRIES:
                raise
            wait = 0.01 * 2**attempt
        await asyncio.sleep(wait)


async def page(s, base, marker):
    """The names of the page marker points at (None: the first), and the next marker."""
    status, body = await _get(s, talk.list_url(base, marker))
    if status != 200:
        raise ValueError(f"listing answered HTTP {status}")
    return talk.page_of(json.loads(body))


async def pages(s, base):
    """Every page's names, in order; raises when a page cannot be listed."""
    walk = talk.Walk()
    while not walk.done:
        names, marker = await page(s, base, walk.marker)
        walk.advance(marker)
        yield names


async def download(s, base, tree, name):
    """One file: asked for, written. A failure is counted in tree, not raised. The write
    blocks the loop, as the talk's programs do: 100 bytes to a local file."""
    if not tree.check(name):
        return
    try:
        status, body = await _get(s, talk.get_url(base, name))
        if status != 200:
            return tree.fail(f"{name}: HTTP {status}")
        tree.write(name, body)
    except (aiohttp.ClientError, OSError) as e:
        tree.fail(f"{name}: {e}")
