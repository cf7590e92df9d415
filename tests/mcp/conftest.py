"""What the tests of `zpa mcp` stand on: a simulator process of their own,
the `zpa` binary as the official Python MCP client starts it, and the API
itself read over HTTP as the oracle (not the server under test)."""

import contextlib
import json
import os
import subprocess
import urllib.error
import urllib.request

import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client


def binary(variable):
    path = os.environ.get(variable)
    if not path:
        raise RuntimeError(f"{variable} must name the binary (cargo xtask test sets it)")
    return path


class Sim:
    """A zpa-sim process on a free loopback port, and the API as it answers."""

    def __init__(self, *args):
        self.process = subprocess.Popen(
            [binary("ZPA_SIM_BIN"), "--port", "0", "--rate-limit", "off", *args],
            stdout=subprocess.PIPE,
            text=True,
        )
        banner = {}
        for _ in range(5):
            line = self.process.stdout.readline().strip()
            if line.startswith("listening on "):
                banner["url"] = line.removeprefix("listening on ")
            elif ": " in line:
                key, value = line.split(": ", 1)
                banner[key] = value
        self.url = banner["url"]
        self.customer = banner["customer id"]
        self.token = banner["static token"]
        self.client_id = banner["client id"]
        self.client_secret = banner["client secret"]

    def stop(self):
        self.process.kill()
        self.process.wait()

    def api(self, path, query=""):
        """GET `path` under the customer, as JSON; None for a 404."""
        url = f"{self.url}/mgmtconfig/v1/admin/customers/{self.customer}{path}"
        if query:
            url += "?" + query
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise

    def every(self, path, query=""):
        """Every object of a listing, all pages."""
        items, page = [], 1
        while True:
            sep = "&" if query else ""
            answer = self.api(path, f"{query}{sep}page={page}&pagesize=500")
            items += answer.get("list", [])
            if page >= int(answer["totalPages"]):
                return items
            page += 1

    def env(self, **extra):
        """The environment `zpa mcp` reads its connection from."""
        env = {
            "PATH": os.environ.get("PATH", ""),
            "ZPA_BASE_URL": self.url,
            "ZPA_CUSTOMER_ID": self.customer,
            "ZPA_TOKEN": self.token,
            # The simulator runs without limits, to be quick; so does the client.
            "ZPA_RATE_LIMIT": "off",
        }
        env.update(extra)
        return env


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
def sim():
    sim = Sim("--connectors", "2000")
    yield sim
    sim.stop()


@contextlib.asynccontextmanager
async def serve(sim, *args, env=None, errlog=None, **client):
    """`zpa mcp ARGS` against `sim`, through the official client."""
    params = StdioServerParameters(
        command=binary("ZPA_BIN"), args=["mcp", *args], env=env or sim.env()
    )
    transport = stdio_client(params, errlog=errlog) if errlog else stdio_client(params)
    async with Client(transport, **client) as connected:
        yield connected


def text(result):
    """The one text block a tool answers with."""
    assert len(result.content) == 1, result.content
    return result.content[0].text


def rows(answer):
    """The tab-separated rows of a listing's answer, as dicts by column,
    with the columns said once for every row put back in."""
    lines = answer.splitlines()[1:]
    common = {}
    while lines and lines[0].endswith(" (every row)"):
        title, value = lines.pop(0).removesuffix(" (every row)").split(": ", 1)
        common[title] = value
    titles = lines[0].split("\t")
    found = []
    for line in lines[1:]:
        if line.startswith("("):
            break
        found.append({**common, **dict(zip(titles, line.split("\t")))})
    return found


def timeless(obj):
    """An object without the durations the API computes from the clock
    (`lastBrokerConnectTimeDuration`...), which tick between two reads."""
    return {k: v for k, v in obj.items() if not k.endswith("TimeDuration")}
