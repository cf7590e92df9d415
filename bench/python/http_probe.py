"""Transport-level probe shared by the SDK benchmark drivers.

Both SDKs send every HTTP request through `requests` (the official SDK's legacy
ZPA client calls `requests.request`, pyzscaler goes through restfly's
`requests.Session`), and all of those end in `requests.Session.send`. Wrapping
that one method lets us, without touching SDK code paths:

  * refuse any request that is not for the local simulator (the scripts must
    only ever talk to 127.0.0.1, even if a URL patch were to miss something);
  * count the 429 responses the SDK received (it retries them internally, so
    they never surface to the caller);
  * count the connector-list pages the server actually answered.
"""

import time
from urllib.parse import urlsplit

import requests

ALLOWED_HOSTS = {"127.0.0.1", "localhost"}

stats = {"pages": 0, "http_429": 0, "requests": 0}


def install(list_path_suffix="/connector"):
    original_send = requests.Session.send

    def send(session, request, **kwargs):
        url = urlsplit(request.url)
        if url.hostname not in ALLOWED_HOSTS:
            raise RuntimeError(f"benchmark refused a non-local request to {url.hostname}")
        response = original_send(session, request, **kwargs)
        stats["requests"] += 1
        if response.status_code == 429:
            stats["http_429"] += 1
        elif response.ok and request.method == "GET" and url.path.endswith(list_path_suffix):
            stats["pages"] += 1
        return response

    requests.Session.send = send


def report(count, started):
    """Print the one line of JSON the Rust harness reads from stdout.

    Diagnostics that are not part of that contract go to stderr.
    """
    import json
    import sys

    print(json.dumps({"count": count, "pages": stats["pages"], "http_429": stats["http_429"]}), flush=True)
    print(
        f"http requests: {stats['requests']}, wall: {time.monotonic() - started:.3f}s",
        file=sys.stderr,
    )
