#!/usr/bin/env python3
"""Asks an MCP server the stale question through the official Python MCP
client (`mcp`): which App Connectors have been disconnected for more than
30 days.

Usage: mcp_stale.py zpa|zscaler-mcp COMMAND [ARGS...]
Env: ZPA_SIM_URL, ZPA_CUSTOMER_ID and ZPA_SIM_TOKEN (for the oracle),
ZPA_CONNECTORS (how many the simulator holds), the server's own settings,
and PEAK_RSS_FILE (where peak_rss.py, which the command runs under, leaves
the server's peak RSS).

Prints one JSON line: protocol (the revision negotiated), tools (count), tools_bytes (the definitions as
tools/list gives them), startup_ms (spawn to initialized), calls, bytes
(the text of every tool result: what the agent reads), seconds, named (the
connectors the answers list), expected (the stale ones, as the simulator's
own search lists them), complete (whether those are the same) and
peak_rss_kb.

`zpa mcp` answers in one call (disconnectedFor). zscaler-mcp's search is
an exact name match (name+EQ+value), so an agent must page through every
connector, 500 at a time, with a JMESPath filter and a cutoff it computes
itself.
"""

import asyncio
import json
import math
import os
import re
import sys
import time
import urllib.parse
import urllib.request

from mcp import Client, StdioServerParameters

DAYS = 30


def zpa_calls():
    return [("zpa_list_app_connectors", {"disconnectedFor": f"{DAYS}d"})]


def zscaler_mcp_calls():
    cutoff = int(time.time()) - DAYS * 86400
    query = (
        "[?control_channel_status=='ZPN_STATUS_DISCONNECTED'"
        f" && to_number(last_broker_disconnect_time) < `{cutoff}`]"
    )
    pages = math.ceil(int(os.environ["ZPA_CONNECTORS"]) / 500)
    return [
        ("zpa_list_app_connectors", {"page": page, "page_size": 500, "query": query})
        for page in range(1, pages + 1)
    ]


def zpa_ids(answer):
    """The first column of each row of a `zpa mcp` listing."""
    return {line.split("\t", 1)[0] for line in answer.splitlines() if re.match(r"\d+\t", line)}


def zscaler_mcp_ids(answer):
    """The ids of the objects of a zscaler-mcp listing (a JSON array)."""
    return {item["id"] for item in json.loads(answer)}


def api_ids(search=None):
    """The ids of every connector the simulator's API lists, all pages,
    with a search: the oracle, asked directly rather than through a server."""
    sim, customer = os.environ["ZPA_SIM_URL"].rstrip("/"), os.environ["ZPA_CUSTOMER_ID"]
    ids, page = set(), 1
    while True:
        query = {"page": page, "pagesize": 500}
        if search:
            query["search"] = search
        url = f"{sim}/mgmtconfig/v1/admin/customers/{customer}/connector?" + urllib.parse.urlencode(
            query, quote_via=urllib.parse.quote
        )
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {os.environ['ZPA_SIM_TOKEN']}"})
        with urllib.request.urlopen(request) as answer:
            body = json.loads(answer.read())
        ids |= {c["id"] for c in body.get("list", [])}
        if page >= int(body["totalPages"]):
            return ids
        page += 1


async def ask(server, command):
    params = StdioServerParameters(command=command[0], args=command[1:], env=dict(os.environ))
    started = time.monotonic()
    async with Client(params) as client:
        startup_ms = (time.monotonic() - started) * 1000
        protocol = client.protocol_version
        tools = (await client.list_tools()).tools
        tools_bytes = len(
            json.dumps([t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in tools])
        )
        calls, listed = (zpa_calls(), zpa_ids) if server == "zpa" else (zscaler_mcp_calls(), zscaler_mcp_ids)
        asked = time.monotonic()
        received, ids = 0, set()
        for name, args in calls:
            result = await client.call_tool(name, args)
            if result.is_error:
                sys.exit(f"{name} {args} failed: {result.content}")
            for block in result.content:
                text = getattr(block, "text", "")
                received += len(text.encode())
                ids |= listed(text)
        seconds = time.monotonic() - asked
    with open(os.environ["PEAK_RSS_FILE"]) as rss:
        peak_rss_kb = int(rss.read().strip() or 0)
    expected = api_ids(f"controlChannelStatus EQ ZPN_STATUS_DISCONNECTED AND lastBrokerDisconnectTimeDuration GT {DAYS}d")
    named = ids
    return {
        "protocol": protocol,
        "tools": len(tools),
        "tools_bytes": tools_bytes,
        "startup_ms": startup_ms,
        "calls": len(calls),
        "bytes": received,
        "seconds": seconds,
        "named": len(named),
        "expected": len(expected),
        "complete": named == expected,
        "peak_rss_kb": peak_rss_kb,
    }


def main():
    server, command = sys.argv[1], sys.argv[2:]
    print(json.dumps(asyncio.run(ask(server, command))))


if __name__ == "__main__":
    main()
