#!/usr/bin/env python3
"""List every ZPA App Connector through the official SDK (zscaler-sdk-python).

Env: ZPA_SIM_URL, ZPA_CUSTOMER_ID, ZPA_CLIENT_ID, ZPA_CLIENT_SECRET.
Prints {"count": N, "pages": P, "http_429": K} on stdout and exits 0.

Default: the SDK's legacy ZPA client (POST /signin with client id/secret), the
same API pyzscaler uses. `--oneapi` uses the SDK's default OneAPI client
(POST /oauth2/v1/token, paths under /zpa) instead.
"""

import os
import sys
import time

import http_probe

# The ZPA API rejects pagesize > 500; the SDK also clamps ZPA to 500
# (zscaler/oneapi_response.py:22, SERVICE_PAGE_LIMITS["zpa"]["max"]).
# ZPA_PAGE_SIZE (optional) lowers it, e.g. to provoke 429s with few connectors.
PAGE_SIZE = int(os.environ.get("ZPA_PAGE_SIZE", "500"))
SIM_CLOUD = "BENCH_SIM"


def make_legacy_client(sim_url):
    from zscaler import constants
    from zscaler.oneapi_client import LegacyZPAClient

    # The legacy client has no base-URL option: it looks the `cloud` name up in
    # ZPA_BASE_URLS (zscaler/constants.py:3) and rejects unknown names
    # (zscaler/zpa/legacy.py:149-156). zpa/legacy.py imported that same dict
    # object, so adding a key here is seen there.
    constants.ZPA_BASE_URLS[SIM_CLOUD] = sim_url
    return LegacyZPAClient(
        {
            "clientId": os.environ["ZPA_CLIENT_ID"],
            "clientSecret": os.environ["ZPA_CLIENT_SECRET"],
            "customerId": os.environ["ZPA_CUSTOMER_ID"],
            "cloud": SIM_CLOUD,
        }
    )


def make_oneapi_client(sim_url):
    from zscaler import ZscalerClient
    from zscaler.oneapi_oauth_client import OAuth
    from zscaler.request_executor import RequestExecutor

    # OneAPI has no table: the API host is the class constant
    # RequestExecutor.BASE_URL (zscaler/request_executor.py:33) and the token
    # URL is built from the vanity domain in OAuth._get_auth_url
    # (zscaler/oneapi_oauth_client.py:480-501). Point both at the simulator.
    RequestExecutor.BASE_URL = sim_url
    OAuth._get_auth_url = lambda self, vanity_domain, cloud: f"{sim_url}/oauth2/v1/token"
    return ZscalerClient(
        {
            "clientId": os.environ["ZPA_CLIENT_ID"],
            "clientSecret": os.environ["ZPA_CLIENT_SECRET"],
            "customerId": os.environ["ZPA_CUSTOMER_ID"],
            "vanityDomain": "bench-sim",  # only used to build the (patched) token URL
        }
    )


def main():
    started = time.monotonic()
    sim_url = os.environ["ZPA_SIM_URL"].rstrip("/")
    http_probe.install()

    make_client = make_oneapi_client if "--oneapi" in sys.argv[1:] else make_legacy_client
    with make_client(sim_url) as client:
        # list_connectors returns only the requested page
        # (zscaler/zpa/app_connectors.py:42-105); the SDK's own paging is
        # resp.has_next()/resp.next(), which asks for page+1 while
        # page < totalPages (zscaler/oneapi_response.py:364-465).
        connectors, resp, err = client.zpa.app_connectors.list_connectors(
            query_params={"page": 1, "page_size": PAGE_SIZE}
        )
        if err:
            sys.exit(f"list_connectors failed: {err}")
        count = len(connectors)
        while resp.has_next():
            page, resp, err = resp.next()
            if err:
                sys.exit(f"next page failed: {err}")
            count += len(page or [])

    http_probe.report(count, started)


if __name__ == "__main__":
    main()
