"""The blocking client of sync, threads and processes: requests, one Session a worker."""

import time

import talk

(requests,) = talk.need("requests")


def session():
    return requests.Session()


def _get(s, url):
    """One answer, asked again on 429, 5xx or a lost connection (talk.TRIES in all)."""
    for attempt in range(talk.TRIES):
        try:
            r = s.get(url, timeout=30)
        except requests.ConnectionError:
            if attempt + 1 == talk.TRIES:
                raise
            time.sleep(0.01 * 2**attempt)
            continue
        wait = None if r.status_code == 200 else talk.retry_after(r.status_code, r.headers, attempt)
        if wait is None:
            return r
        time.sleep(wait)


def pages(s, base):
    """Every page's names, in order; raises when a page cannot be listed."""
    walk = talk.Walk()
    while not walk.done:
        r = _get(s, talk.list_url(base, walk.marker))
        r.raise_for_status()
        names, marker = talk.page_of(r.json())
        walk.advance(marker)
        yield names


def download(s, base, tree, name):
    """One file: asked for, checked whole, written. A failure is counted in tree, not raised."""
    if not tree.check(name):
        return
    try:
        r = _get(s, talk.get_url(base, name))
        if r.status_code != 200:
            return tree.fail(f"{name}: HTTP {r.status_code}")
        # requests keeps a body cut short by the server: its length is checked here.
        if r.headers.get("Content-Length") != str(len(r.content)):
            return tree.fail(f"{name}: {len(r.content)} bytes, Content-Length {r.headers.get('Content-Length')}")
        tree.write(name, r.content)
    except (requests.RequestException, OSError) as e:
        tree.fail(f"{name}: {e}")
