#!/usr/bin/env python3
"""Runs Zscaler's own MCP server (zscaler-mcp, as installed) against the
simulator: the bench's comparison peer for `zpa mcp`.

Env: ZPA_SIM_URL, and what zscaler-mcp reads itself: ZSCALER_CLIENT_ID,
ZSCALER_CLIENT_SECRET, ZSCALER_VANITY_DOMAIN, ZSCALER_CUSTOMER_ID.
Arguments go to zscaler-mcp (stdio by default).

zscaler-mcp builds the SDK's OneAPI client, so the driver points the SDK
where official_list_connectors.py --oneapi does (RequestExecutor.BASE_URL,
zscaler/request_executor.py:33; OAuth._get_auth_url,
zscaler/oneapi_oauth_client.py:480-501), and the server's own token URL
builder too (zscaler_mcp/security/auth.py:120, _build_token_url).
"""

import os
import sys

sim_url = os.environ["ZPA_SIM_URL"].rstrip("/")

from zscaler.oneapi_oauth_client import OAuth  # noqa: E402
from zscaler.request_executor import RequestExecutor  # noqa: E402

import zscaler_mcp.security.auth as server_auth  # noqa: E402

RequestExecutor.BASE_URL = sim_url
OAuth._get_auth_url = lambda self, vanity_domain, cloud: f"{sim_url}/oauth2/v1/token"
server_auth._build_token_url = lambda vanity_domain, cloud="production": f"{sim_url}/oauth2/v1/token"

from zscaler_mcp.server import main  # noqa: E402

sys.argv = ["zscaler-mcp", *sys.argv[1:]]
main()
