"""`zpa mcp` driven by the official Python MCP client (the `mcp` package),
against a simulator of its own, checked against the API read directly."""

import json
import os
import subprocess
import tempfile
import time
import urllib.parse

import mcp.types as types
import pytest
from conftest import rows, serve, text, timeless

pytestmark = pytest.mark.anyio

READ_TOOLS = {
    "zpa_list_app_connectors",
    "zpa_get_app_connector",
    "zpa_list_application_segments",
    "zpa_list_privileged_approvals",
    "zpa_get_privileged_approval",
}
WRITE_TOOLS = {
    "zpa_update_app_connector",
    "zpa_delete_app_connector",
    "zpa_bulk_delete_app_connectors",
    "zpa_create_privileged_approval",
    "zpa_update_privileged_approval",
    "zpa_delete_privileged_approval",
    "zpa_delete_expired_privileged_approvals",
}
STALE = "controlChannelStatus EQ ZPN_STATUS_DISCONNECTED AND lastBrokerDisconnectTimeDuration GT 30d"


def quoted(search):
    return "search=" + urllib.parse.quote(search)


def tool_bytes(tools):
    return len(json.dumps([t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in tools]))


async def test_both_revisions_and_read_only_tools_by_default(sim):
    # "auto" discovers and speaks the stateless 2026-07-28; "legacy" the
    # initialize handshake, as older clients do.
    for mode, revision in (("auto", "2026-07-28"), ("legacy", "2025-11-25")):
        async with serve(sim, mode=mode) as client:
            assert client.protocol_version == revision
            assert client.server_info.name == "zpa"
            tools = (await client.list_tools()).tools
            assert {t.name for t in tools} == READ_TOOLS
            assert all(t.annotations.read_only_hint for t in tools)
            assert tool_bytes(tools) < 20_000


async def test_every_tool_is_listed_with_annotations_that_say_the_truth(sim):
    async with serve(sim, "--allow-writes", "*") as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    assert set(tools) == READ_TOOLS | WRITE_TOOLS
    assert tool_bytes(tools.values()) < 20_000
    for name, tool in tools.items():
        hints = tool.annotations
        assert hints.read_only_hint == (name in READ_TOOLS), name
        assert hints.destructive_hint == ("delete" in name or "update" in name), name
        assert hints.idempotent_hint == (name != "zpa_create_privileged_approval"), name
        assert hints.open_world_hint is False
        assert tool.input_schema["type"] == "object"
        assert "description" in tool.input_schema["properties"].get("microtenantId", {}), name


async def test_the_stale_question_is_answered_whole_in_one_call(sim):
    expected = {c["id"] for c in sim.every("/connector", quoted(STALE))}
    assert len(expected) > 100
    async with serve(sim) as client:
        answer = text(await client.call_tool("zpa_list_app_connectors", {"disconnectedFor": "30d"}))
    assert answer.splitlines()[0] == f"{len(expected)} connectors"
    found = rows(answer)
    assert {row["ID"] for row in found} == expected
    assert all(row["STATUS"] == "DISCONNECTED" for row in found)
    # Text as the API has it: nothing escaped.
    names = {c["name"] for c in sim.every("/connector", quoted(STALE))}
    assert {row["NAME"] for row in found} == names


async def test_a_capped_answer_goes_on_with_its_cursor_to_the_same_whole(sim):
    async with serve(sim) as client:
        args = {"search": "enabled EQ true", "maxBytes": 4_000_000}
        whole = rows(text(await client.call_tool("zpa_list_app_connectors", args)))
        assert len(whole) > 1000
        seen, cursor, calls = [], None, 0
        while True:
            args = {"search": "enabled EQ true", "maxBytes": 20_000}
            if cursor:
                args["cursor"] = cursor
            answer = text(await client.call_tool("zpa_list_app_connectors", args))
            calls += 1
            assert len(answer.encode()) <= 20_000 + 200
            seen += rows(answer)
            last = answer.splitlines()[-1]
            if not last.startswith("(stopped at maxBytes"):
                break
            cursor = last.split('cursor "')[1].split('"')[0]
        assert calls > 3
        assert [r["ID"] for r in seen] == [r["ID"] for r in whole]
        # A cursor is for the listing that gave it.
        other = await client.call_tool("zpa_list_app_connectors", {"search": "enabled EQ false", "cursor": cursor})
        assert other.is_error and "invalid argument cursor" in text(other)


async def test_json_and_fields_give_the_objects_as_the_api_sent_them(sim):
    raw = {c["id"]: c for c in sim.every("/connector")}
    async with serve(sim) as client:
        answer = text(await client.call_tool("zpa_list_app_connectors", {"format": "json", "maxBytes": 4_000_000}))
        objects = [json.loads(line) for line in answer.splitlines()[1:]]
        assert len(objects) == len(raw) == 2000
        assert all(timeless(o) == timeless(raw[o["id"]]) for o in objects)
        picked = text(
            await client.call_tool(
                "zpa_list_app_connectors",
                {"fields": ["id", "lastBrokerDisconnectTime", "noSuchField"], "format": "json", "search": STALE},
            )
        )
        first = json.loads(picked.splitlines()[1])
        assert first == {"id": first["id"], "lastBrokerDisconnectTime": raw[first["id"]]["lastBrokerDisconnectTime"]}
        assert picked.splitlines()[-1] == "(no object has noSuchField)"


async def test_one_connector_by_id_and_by_name(sim):
    connector = sim.every("/connector")[7]
    async with serve(sim) as client:
        by_id = text(await client.call_tool("zpa_get_app_connector", {"connectorId": connector["id"]}))
        by_name = text(await client.call_tool("zpa_get_app_connector", {"name": connector["name"]}))
        missing = await client.call_tool("zpa_get_app_connector", {"connectorId": "1"})
    assert timeless(json.loads(by_id)) == timeless(json.loads(by_name)) == timeless(connector)
    assert missing.is_error and "404" in text(missing)


async def test_segments_by_name_and_by_type(sim):
    segments = sim.every("/application")
    async with serve(sim) as client:
        listed = rows(text(await client.call_tool("zpa_list_application_segments", {})))
        bastion = json.loads(
            text(await client.call_tool("zpa_list_application_segments", {"name": "SSH Jump / Bastion"}))
        )
        twice = await client.call_tool("zpa_list_application_segments", {"name": "Jump Hosts"})
        pra = text(
            await client.call_tool("zpa_list_application_segments", {"applicationType": "SECURE_REMOTE_ACCESS"})
        )
        bad = await client.call_tool("zpa_list_application_segments", {"applicationType": "SSH"})
    assert {r["ID"] for r in listed} == {s["id"] for s in segments}
    assert "Engineering & R/D" in {r["MICROTENANT"] for r in listed}
    assert bastion["name"] == "SSH Jump / Bastion"
    assert twice.is_error and "2 objects match" in text(twice) and "Finance" in text(twice)
    assert pra.splitlines()[0].endswith(" applications")
    assert bad.is_error and "applicationType" in text(bad)


async def test_writes_are_refused_unless_allowed(sim):
    connector = sim.every("/connector")[0]
    async with serve(sim) as client:
        refused = await client.call_tool(
            "zpa_update_app_connector", {"connectorId": connector["id"], "description": "x"}
        )
    assert refused.is_error and "--allow-writes zpa_update_app_connector" in text(refused)
    assert sim.api(f"/connector/{connector['id']}").get("description") == connector.get("description")
    async with serve(sim, "--allow-writes", "zpa_update_*") as client:
        offered = {t.name for t in (await client.list_tools()).tools}
    assert offered == READ_TOOLS | {"zpa_update_app_connector", "zpa_update_privileged_approval"}


async def test_a_connector_in_a_microtenant_is_updated_where_it_lives(sim):
    connector = next(c for c in sim.every("/connector") if c.get("microtenantId", "0") != "0")
    async with serve(sim, "--allow-writes", "zpa_update_app_connector") as client:
        answer = await client.call_tool(
            "zpa_update_app_connector",
            {"connectorId": connector["id"], "description": "rack 7 & row 3", "enabled": False},
        )
    stored = json.loads(text(answer))
    assert not answer.is_error
    assert timeless(stored) == timeless(sim.api(f"/connector/{connector['id']}"))
    assert stored["description"] == "rack 7 & row 3" and stored["enabled"] is False
    assert stored["microtenantId"] == connector["microtenantId"]


async def test_an_approval_from_a_segment_name_with_working_hours(sim):
    bastion = next(s for s in sim.every("/application") if s["name"] == "SSH Jump / Bastion")
    start = int(time.time()) + 3600
    args = {
        "email": "alice@example.com",
        "applications": ["SSH Jump / Bastion"],
        "startTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start)),
        "endTime": start + 7 * 86400,
        "workingHours": {
            "days": ["MON", "TUE", "WED", "THU", "FRI"],
            "startTime": "09:00",
            "endTime": "17:00",
            "timeZone": "America/Vancouver",
        },
    }
    async with serve(sim, "--allow-writes", "*_privileged_approval") as client:
        created = text(await client.call_tool("zpa_create_privileged_approval", args))
        approval = json.loads(created.splitlines()[1])
        assert created.startswith(f"Created approval {approval['id']} for alice@example.com")
        extended = await client.call_tool(
            "zpa_update_privileged_approval", {"approvalId": approval["id"], "endTime": start + 9 * 86400}
        )
        millis = await client.call_tool("zpa_create_privileged_approval", {**args, "startTime": start * 1000})
        unknown = await client.call_tool("zpa_create_privileged_approval", {**args, "applications": ["No Such App"]})
    stored = sim.api(f"/approval/{approval['id']}")
    assert [a["id"] for a in stored["applications"]] == [bastion["id"]]
    assert stored["startTime"] == str(start) and stored["endTime"] == str(start + 9 * 86400)
    assert stored["workingHours"]["timeZone"] == "America/Vancouver"
    assert stored["workingHours"]["startTimeCron"].startswith("0 0 ")
    assert not extended.is_error and json.loads(text(extended).splitlines()[1]) == stored
    assert millis.is_error and text(millis).startswith("invalid argument startTime: ") and "milliseconds" in text(millis)
    assert unknown.is_error and "No Such App" in text(unknown)


async def elicit_yes(context, params):
    elicit_yes.messages.append(params.message)
    return types.ElicitResult(action="accept", content={"confirm": True})


async def elicit_no(context, params):
    return types.ElicitResult(action="decline")


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_a_delete_asks_the_user_and_proceeds_only_when_accepted(sim, mode):
    # 2026-07-28: the tool answers that it needs input, the client asks its
    # user and calls again; 2025-11-25: the server asks during the call.
    stale = sim.every("/connector", quoted(STALE))[:3]
    ids = [c["id"] for c in stale]
    args = {"connectorIds": ids}
    async with serve(sim, "--allow-writes", "*", mode=mode, elicitation_callback=elicit_no) as client:
        declined = text(await client.call_tool("zpa_bulk_delete_app_connectors", args))
    assert declined.startswith("Nothing was deleted: the user declined.")
    assert all(sim.api(f"/connector/{id}") for id in ids)
    elicit_yes.messages = []
    async with serve(sim, "--allow-writes", "*", mode=mode, elicitation_callback=elicit_yes) as client:
        deleted = text(await client.call_tool("zpa_bulk_delete_app_connectors", args))
    (asked,) = elicit_yes.messages
    for connector in stale:
        assert connector["id"] in asked and connector["name"] in asked
    assert "(microtenant " in asked
    assert deleted.startswith("Deleted 3 connectors:")
    assert all(sim.api(f"/connector/{id}") is None for id in ids)


async def test_the_state_a_question_carries_is_bound_to_its_plan_and_used_once(sim):
    # The stateless revision's rounds driven by hand: the request state the
    # server gives out is one of its confirmations, not data to be trusted.
    ids = [c["id"] for c in sim.every("/connector", quoted(STALE))[:2]]
    yes = {"confirm": {"action": "accept", "content": {"confirm": True}}}
    async with serve(sim, "--allow-writes", "*", elicitation_callback=elicit_yes) as client:
        session = client.session

        async def ask(args):
            return await session.call_tool("zpa_bulk_delete_app_connectors", args, allow_input_required=True)

        asked = await ask({"connectorIds": ids})
        assert isinstance(asked, types.InputRequiredResult)
        assert "Delete 2 connectors" in asked.input_requests["confirm"].params.message
        state = asked.request_state
        widened = await session.call_tool(
            "zpa_bulk_delete_app_connectors", {"connectorIds": ids + ["217246660303444011"]},
            input_responses=yes, request_state=state, allow_input_required=True,
        )
        assert widened.is_error and "on other ids" in text(widened)
        replayed = await session.call_tool(
            "zpa_bulk_delete_app_connectors", {"connectorIds": ids},
            input_responses=yes, request_state=state, allow_input_required=True,
        )
        assert replayed.is_error and "unknown or was used already" in text(replayed)
        forged = await session.call_tool(
            "zpa_bulk_delete_app_connectors", {"connectorIds": ids},
            input_responses=yes, request_state="0" * 32, allow_input_required=True,
        )
        assert forged.is_error
    assert all(sim.api(f"/connector/{id}") for id in ids), "nothing was deleted"


async def test_without_elicitation_a_confirmation_deletes_exactly_what_was_shown_once(sim):
    everyone = [c for c in sim.every("/connector") if not c.get("zscalerManaged")]
    finance = [c["id"] for c in everyone if c.get("microtenantName") == "Finance"][:2]
    default = [c["id"] for c in everyone if c.get("microtenantId", "0") == "0"][:2]
    ids = finance + default
    async with serve(sim, "--allow-writes", "*") as client:
        plan = text(await client.call_tool("zpa_bulk_delete_app_connectors", {"connectorIds": ids}))
        assert plan.startswith("Delete 4 connectors:") and "(microtenant Finance)" in plan, plan
        token = plan.split('confirmation "')[1].split('"')[0]
        assert all(sim.api(f"/connector/{id}") for id in ids), "a plan deletes nothing"
        other = await client.call_tool(
            "zpa_bulk_delete_app_connectors", {"connectorIds": ids[:3], "confirmation": token}
        )
        assert other.is_error and "on other ids" in text(other)
        used = await client.call_tool("zpa_bulk_delete_app_connectors", {"connectorIds": ids, "confirmation": token})
        assert used.is_error and "unknown or was used already" in text(used)
        assert all(sim.api(f"/connector/{id}") for id in ids)

        plan = text(await client.call_tool("zpa_bulk_delete_app_connectors", {"connectorIds": ids}))
        token = plan.split('confirmation "')[1].split('"')[0]
        done = text(await client.call_tool("zpa_bulk_delete_app_connectors", {"connectorIds": ids, "confirmation": token}))
        assert done.startswith("Deleted 4 connectors:")
        assert all(sim.api(f"/connector/{id}") is None for id in ids)
        replayed = await client.call_tool(
            "zpa_delete_app_connector", {"connectorId": everyone[-1]["id"], "confirmation": token}
        )
        assert replayed.is_error and sim.api(f"/connector/{everyone[-1]['id']}")


async def test_approvals_are_deleted_one_and_all_expired_after_a_yes(sim):
    approvals = sim.every("/approval")
    expired = {a["id"] for a in approvals if a["status"] == "EXPIRED"}
    one = next(a for a in approvals if a["status"] != "EXPIRED")
    elicit_yes.messages = []
    async with serve(sim, "--allow-writes", "zpa_delete_*", elicitation_callback=elicit_yes) as client:
        text(await client.call_tool("zpa_delete_privileged_approval", {"approvalId": one["id"]}))
        text(await client.call_tool("zpa_delete_expired_privileged_approvals", {}))
    assert one["emailIds"][0] in elicit_yes.messages[0]
    assert all(id in elicit_yes.messages[1] for id in expired)
    left = {a["id"] for a in sim.every("/approval")}
    assert not left & (expired | {one["id"]})
    assert len(left) == len(approvals) - len(expired) - 1


async def test_bad_arguments_are_tool_errors_naming_them_and_the_server_lives_on(sim):
    async with serve(sim, "--allow-writes", "*") as client:
        cases = [
            ("zpa_bulk_delete_app_connectors", {"connectorIds": "abc"}, "invalid arguments: invalid type"),
            ("zpa_bulk_delete_app_connectors", {"connectorId": "1"}, "invalid argument connectorId: "),
            ("zpa_bulk_delete_app_connectors", {}, "missing field `connectorIds`"),
            ("zpa_list_app_connectors", {"search": "nme EQ x"}, "invalid argument search: "),
            ("zpa_list_app_connectors", {"disconnectedFor": "99999999d"}, "invalid argument disconnectedFor: "),
            ("zpa_list_app_connectors", {"maxBytes": 10}, "invalid argument maxBytes: "),
            ("zpa_get_app_connector", {"name": "x\u0007"}, "invalid argument name: "),
            ("zpa_get_app_connector", {"name": "n" * 10_000}, "invalid argument name: "),
            ("zpa_update_app_connector", {"connectorId": "abc", "name": "x"}, "invalid argument connectorId: "),
            ("zpa_update_app_connector", {"connectorId": "1"}, "invalid argument name, description or enabled: "),
            ("zpa_create_privileged_approval", {"email": "a"}, "missing field"),
            ("zpa_get_privileged_approval", {"approvalId": 5}, "invalid arguments: invalid type"),
            ("zpa_list_privileged_approvals", {"sortBy": "nope"}, "invalid argument sortBy"),
            ("zpa_list_app_connectors", {"microtenantId": "Finance"}, "invalid argument microtenantId: "),
        ]
        for tool, args, expected in cases:
            result = await client.call_tool(tool, args)
            assert result.is_error, (tool, args)
            assert expected in text(result), (tool, args, text(result))
        alive = await client.call_tool("zpa_list_application_segments", {})
        assert not alive.is_error


async def test_no_secret_in_answers_errors_or_logs(sim):
    env = sim.env(ZPA_CLIENT_ID=sim.client_id, ZPA_CLIENT_SECRET=sim.client_secret, ZPA_LOG="trace")
    del env["ZPA_TOKEN"]
    seen = []
    with tempfile.TemporaryFile("w+") as errlog:
        async with serve(sim, "--allow-writes", "*", env=env, errlog=errlog) as client:
            for tool, args in [
                ("zpa_list_app_connectors", {"disconnectedFor": "30d"}),
                ("zpa_get_app_connector", {"connectorId": "1"}),
                ("zpa_list_application_segments", {"name": "Jump Hosts"}),
                ("zpa_update_app_connector", {"connectorId": "1", "name": "x"}),
            ]:
                seen.append(text(await client.call_tool(tool, args)))
        errlog.seek(0)
        log = errlog.read()
    assert "signed in" in log, "the trace log is there to be searched"
    for where in [*seen, log]:
        assert sim.client_secret not in where


def inspector(sim, *args):
    """The MCP Inspector's CLI mode (Node) running `zpa mcp` against `sim`."""
    env = [part for key, value in sim.env().items() if key != "PATH" for part in ("-e", f"{key}={value}")]
    command = [os.environ["ZPA_INSPECTOR"], "--cli", *env, os.environ["ZPA_BIN"], "mcp", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


async def test_the_mcp_inspector_lists_and_calls_the_tools(sim):
    listed = inspector(sim, "--method", "tools/list")
    assert {t["name"] for t in listed["tools"]} == READ_TOOLS
    stale = inspector(sim, "--method", "tools/call", "--tool-name", "zpa_list_app_connectors", "--tool-arg", "disconnectedFor=30d")
    expected = sim.every("/connector", quoted(STALE))
    assert stale["content"][0]["text"].startswith(f"{len(expected)} connectors\n")
    created = inspector(
        sim,
        "--allow-writes",
        "zpa_create_privileged_approval",
        "--method",
        "tools/call",
        "--tool-name",
        "zpa_create_privileged_approval",
        "--tool-arg",
        "email=bob@example.com",
        'applications=["RDP Jump & Hosts"]',
        f"startTime={int(time.time()) + 600}",
        f"endTime={int(time.time()) + 86400}",
    )
    approval = json.loads(created["content"][0]["text"].splitlines()[1])
    rdp = next(s for s in sim.every("/application") if s["name"] == "RDP Jump & Hosts")
    assert [a["id"] for a in sim.api(f"/approval/{approval['id']}")["applications"]] == [rdp["id"]]
