#!/usr/bin/env python3
"""List every ZPA App Connector through pyzscaler.

Env: ZPA_SIM_URL, ZPA_CUSTOMER_ID, ZPA_CLIENT_ID, ZPA_CLIENT_SECRET.
Prints {"count": N, "pages": P, "http_429": K} on stdout and exits 0.

--no-sleep removes pyzscaler's unconditional 1 s sleep after every page
(pyzscaler/utils.py:152, in Iterator._get_page) and nothing else.
"""

import os
import sys
import time
import types

import http_probe

# The ZPA API rejects pagesize > 500 (pyzscaler's docstring claims 1000,
# pyzscaler/zpa/connectors.py:31, and does not clamp: it is passed through).
# ZPA_PAGE_SIZE (optional) lowers it, e.g. to provoke 429s with few connectors.
PAGE_SIZE = int(os.environ.get("ZPA_PAGE_SIZE", "500"))


def remove_per_page_sleep():
    import pyzscaler.utils

    # Iterator._get_page calls `time.sleep(1)` through the `time` module that
    # pyzscaler/utils.py imported. Rebind that module-level name to a copy of
    # `time` whose sleep() does nothing: time.sleep stays intact everywhere else
    # (restfly's 429 retry back-off in restfly/session.py:546 still sleeps), and
    # utils' other uses of `time` (time.time) are unchanged.
    quiet_time = types.ModuleType("time")
    quiet_time.__dict__.update(time.__dict__)
    quiet_time.sleep = lambda seconds: None
    pyzscaler.utils.time = quiet_time


def main():
    started = time.monotonic()
    http_probe.install()
    if "--no-sleep" in sys.argv[1:]:
        remove_per_page_sleep()

    from pyzscaler import ZPA

    # pyzscaler has a real base-URL option: override_url replaces the cloud's
    # host (pyzscaler/zpa/__init__.py:65 and :74-75); it signs in with
    # POST {override_url}/signin (pyzscaler/zpa/session.py:33).
    zpa = ZPA(
        client_id=os.environ["ZPA_CLIENT_ID"],
        client_secret=os.environ["ZPA_CLIENT_SECRET"],
        customer_id=os.environ["ZPA_CUSTOMER_ID"],
        override_url=os.environ["ZPA_SIM_URL"].rstrip("/"),
    )
    # list_connectors already walks all pages (restfly APIIterator), asking for
    # page 1, 2, ... until a page comes back empty; it ignores totalPages.
    connectors = zpa.connectors.list_connectors(pagesize=PAGE_SIZE)

    http_probe.report(len(connectors), started)


if __name__ == "__main__":
    main()
