// The JavaScript package (web/pkg) against the simulator over HTTP.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";

import { ZpaClient, ZpaError, workingHoursCrons } from "../pkg/index.js";
import { startSim } from "../sim.mjs";

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function collect(iterable) {
  const items = [];
  for await (const item of iterable) items.push(item);
  return items;
}

function client(sim, options = {}) {
  return new ZpaClient({ baseUrl: sim.baseUrl, customerId: sim.customerId, token: sim.token, rateLimit: false, ...options });
}

/** Connector ids a write without microtenantId may change. */
async function writable(zpa) {
  const page = await zpa.connectors.listPage({ page: 1, pageSize: 500, search: "microtenantId EQ 0" });
  return page.items.filter((c) => !String(c.name).includes("Deception")).map((c) => c.id);
}

describe("connectors", () => {
  let sim;
  let zpa;
  before(async () => {
    sim = await startSim({ connectors: 1234 });
    zpa = client(sim);
  });
  after(() => sim.close());

  test("list iterates every page, each connector once", async () => {
    await sim.clearRequests();
    const all = await collect(zpa.connectors.list({ pageSize: 100 }));
    assert.equal(all.length, 1234);
    assert.equal(new Set(all.map((c) => c.id)).size, 1234);
    const gets = (await sim.requests()).filter((r) => r.method === "GET");
    assert.equal(gets.length, 13, "13 pages of 100, no request past the last");
    assert.ok(gets.every((r) => r.query.includes("pagesize=100")));
  });

  test("Node's console shows the classes, not wasm pointers", () => {
    assert.equal(inspect(zpa), "ZpaClient {}");
    assert.equal(inspect(zpa.connectors), "Connectors {}");
    assert.equal(inspect(zpa.connectors.list()), "Listing {}");
  });

  test("ids stay exact strings above 2^53, times are numbers", async () => {
    const [first] = (await zpa.connectors.listPage({ page: 1, pageSize: 1 })).items;
    assert.equal(typeof first.id, "string");
    assert.ok(BigInt(first.id) > 2n ** 53n, first.id);
    assert.equal(typeof first.modifiedTime, "number");
    const again = await zpa.connectors.get(first.id);
    // Everything but the durations, which move with the clock between calls.
    const steady = ({ lastBrokerConnectTimeDuration, lastBrokerDisconnectTimeDuration, ...rest }) => rest;
    assert.deepEqual(steady(again), steady(first));
  });

  test("listPage returns one page with totals", async () => {
    const page = await zpa.connectors.listPage({ page: 3, pageSize: 500 });
    assert.equal(page.page, 3);
    assert.equal(page.totalPages, 3);
    assert.equal(page.items.length, 234);
    const searched = await zpa.connectors.listPage({ page: 1, pageSize: 5, search: "enabled EQ true" });
    assert.equal(typeof searched.totalCount, "number");
    assert.ok(searched.items.every((c) => c.enabled === true));
  });

  test("update, get and delete", async () => {
    const [id] = await writable(zpa);
    await zpa.connectors.update(id, { name: "rack 7 & co", enabled: false });
    const updated = await zpa.connectors.get(id);
    assert.equal(updated.name, "rack 7 & co");
    assert.equal(updated.enabled, false);
    await zpa.connectors.delete(id);
    await assert.rejects(zpa.connectors.get(id), (error) => {
      assert.ok(error instanceof ZpaError && error instanceof Error);
      assert.equal(error.name, "ZpaError");
      assert.equal(error.kind, "api");
      assert.equal(error.status, 404);
      assert.equal(error.code, "resource.not.found");
      assert.match(error.reason, /not found/);
      assert.equal(error.message, `404 resource.not.found: ${error.reason}`);
      return true;
    });
  });

  test("byName finds exact names; none and several are distinct errors", async () => {
    const [first, second] = await writable(zpa);
    const name = 'Edge "West" & Co + Ünï 7';
    await zpa.connectors.update(first, { name });
    assert.equal((await zpa.connectors.byName(name)).id, first);
    await assert.rejects(zpa.connectors.byName("nothing like it"), { kind: "notFound", message: 'no connector named "nothing like it"' });
    await zpa.connectors.update(second, { name });
    await assert.rejects(zpa.connectors.byName(name), (error) => {
      assert.equal(error.kind, "ambiguous");
      assert.match(error.message, new RegExp(`^2 objects match connector named .*: ${first} \\(Default microtenant\\), ${second} \\(Default microtenant\\); `));
      return true;
    });
  });

  test("bulkDelete and stale", async () => {
    const ids = (await writable(zpa)).slice(1, 4);
    await zpa.connectors.bulkDelete(ids);
    for (const id of ids) await assert.rejects(zpa.connectors.get(id), { status: 404 });
    const stale = await zpa.connectors.stale("15d");
    assert.ok(stale.length > 0);
    assert.ok(stale.every((c) => c.controlChannelStatus === "ZPN_STATUS_DISCONNECTED"));
  });

  test("invalid input rejects before any request", async () => {
    await sim.clearRequests();
    const invalid = (field) => (error) => {
      assert.ok(error instanceof ZpaError);
      assert.equal(error.kind, "invalidInput");
      assert.equal(error.field, field);
      return true;
    };
    await assert.rejects(zpa.connectors.get("12ab"), invalid("id"));
    await assert.rejects(zpa.connectors.listPage({ page: 1, pageSize: 501 }), invalid("pageSize"));
    await assert.rejects(zpa.connectors.listPage({ page: 1, search: "nmae EQ x" }), invalid("search"));
    await assert.rejects(zpa.connectors.bulkDelete([217246660303444011]), invalid("ids[0]"));
    await assert.rejects(zpa.connectors.bulkDelete([]), invalid("ids"));
    await assert.rejects(zpa.connectors.update("1", { nmae: "x" }), invalid("nmae"));
    await assert.rejects(zpa.connectors.stale("15 days"), invalid("olderThan"));
    assert.throws(() => zpa.connectors.list({ pageSize: 10, page: 2 }), invalid("page"));
    assert.throws(() => new ZpaClient({ customerId: "1", baseURL: "http://127.0.0.1:1" }), invalid("baseURL"));
    assert.throws(() => new ZpaClient({ customerId: "1", baseUrl: "http://example.com", token: "t" }), invalid("baseUrl"));
    assert.throws(() => new ZpaClient({ baseUrl: "http://127.0.0.1:1", token: "t" }), invalid("customerId"));
    assert.throws(() => new ZpaClient({ customerId: 216196257331281920, token: "t" }), invalid("customerId"));
    assert.throws(
      () => new ZpaClient({ customerId: "1", clientId: "c", privateKey: "-----BEGIN PRIVATE KEY-----", tokenUrl: "http://127.0.0.1:1/t" }),
      (error) => invalid("privateKey")(error) && /native-only/.test(error.message),
    );
    assert.deepEqual(await sim.requests(), []);
  });
});

describe("approvals", () => {
  let sim;
  let zpa;
  let app;
  before(async () => {
    sim = await startSim({ connectors: 1 });
    zpa = client(sim);
    app = (await zpa.approvals.listPage({ page: 1, pageSize: 1 })).items[0].applications[0].id;
  });
  after(() => sim.close());

  test("create, get, update, delete with working hours", async () => {
    const start = nowSeconds() + 600;
    const workingHours = { days: ["MON", "FRI"], startTime: "09:00", endTime: "17:00", timeZone: "Asia/Kolkata" };
    assert.deepEqual(workingHoursCrons(workingHours, start), {
      startTimeCron: "0 30 3 ? * MON,FRI",
      endTimeCron: "0 30 11 ? * MON,FRI",
    });
    const created = await zpa.approvals.create({ email: "oncall@example.com", applications: [app], startTime: start, endTime: start + 86400, workingHours });
    assert.equal(typeof created.id, "string");
    assert.deepEqual(created.emailIds, ["oncall@example.com"]);
    assert.equal(created.startTime, start);
    assert.equal(created.workingHours.startTimeCron, "0 30 3 ? * MON,FRI");

    const fetched = await zpa.approvals.get(created.id);
    assert.equal(fetched.status, "FUTURE");
    // Only what is given changes: the end moves, the working hours stay;
    // the approval comes back as stored. A Date is a time too.
    const updated = await zpa.approvals.update(created.id, { endTime: new Date((start + 2 * 86400) * 1000) });
    const extended = await zpa.approvals.get(created.id);
    assert.deepEqual(updated, extended);
    assert.equal(extended.endTime, start + 2 * 86400);
    assert.equal(extended.workingHours.startTimeCron, "0 30 3 ? * MON,FRI");
    await zpa.approvals.update(created.id, { workingHours: null });
    assert.equal((await zpa.approvals.get(created.id)).workingHours, undefined);
    await assert.rejects(zpa.approvals.update(created.id, {}), { kind: "invalidInput", field: "changes" });
    await assert.rejects(zpa.approvals.update(created.id, { endTme: 1 }), { kind: "invalidInput", field: "endTme" });
    await zpa.approvals.delete(created.id);
    await assert.rejects(zpa.approvals.get(created.id), { status: 404, code: "resource.not.found" });
  });

  test("byEmail keeps the approvals of exactly that address", async () => {
    const [one] = (await zpa.approvals.listPage({ page: 1, pageSize: 1 })).items;
    const email = one.emailIds[0];
    const found = await zpa.approvals.byEmail(email);
    assert.ok(found.length >= 1 && found.every((a) => a.emailIds.includes(email)));
    await assert.rejects(zpa.approvals.byEmail("nobody@example.com"), { kind: "notFound" });
  });

  test("list sorted, listPage, deleteExpired", async () => {
    const sorted = await collect(zpa.approvals.list({ sortBy: "endTime", sortDir: "desc", pageSize: 7 }));
    const ends = sorted.map((a) => a.endTime);
    assert.deepEqual(ends, [...ends].sort((a, b) => b - a));
    const page = await zpa.approvals.listPage({ page: 1, pageSize: 5 });
    assert.equal(page.items.length, 5);
    assert.equal(page.totalCount, sorted.length);
    assert.equal(await zpa.approvals.deleteExpired(), true);
    assert.equal(await zpa.approvals.deleteExpired(), false);
  });

  test("every approval rule rejects before any request", async () => {
    await sim.clearRequests();
    const start = nowSeconds() + 60;
    const valid = { email: "a@example.com", applications: [app], startTime: start, endTime: start + 3600 };
    const cases = [
      [{ ...valid, email: "a@example.com,b@example.com" }, "email"],
      [{ ...valid, applications: [] }, "applications"],
      [{ ...valid, applications: [""] }, "applications"],
      [{ ...valid, applications: ["x".repeat(10000)] }, "applications"],
      [{ ...valid, applications: ["SSH\u0007Bastion"] }, "applications"],
      [{ ...valid, applications: [{ id: 145256180497776992 }] }, "applications[0].id"],
      [{ ...valid, applications: [{ title: "SSH" }] }, "applications[0].title"],
      [{ ...valid, applicationIds: [app] }, "applicationIds"],
      // Milliseconds, as Date.now() gives them: the year 58,900 as seconds.
      [{ ...valid, startTime: Date.now() + 3600e3, endTime: Date.now() + 7200e3 }, "startTime"],
      [{ ...valid, startTime: new Date("not a date") }, "startTime"],
      [{ ...valid, endTime: 1.5 }, "endTime"],
      [{ ...valid, endTime: start }, "endTime"],
      [{ ...valid, startTime: start - 7200 - 60, endTime: start }, "startTime"],
      [{ ...valid, endTime: start + 366 * 86400 }, "endTime"],
      [{ ...valid, workingHours: { days: ["FUN"], startTime: "09:00", endTime: "17:00", timeZone: "UTC" } }, "workingHours.days[0]"],
      [{ ...valid, workingHours: { days: ["MON"], startTime: "9am", endTime: "17:00", timeZone: "UTC" } }, "workingHours.startTime"],
      [{ ...valid, workingHours: { days: ["MON"], startTime: "09:00", endTime: "17:00", timeZone: "Mars/Base" } }, "workingHours.timeZone"],
      [{ ...valid, workingHours: { days: ["MON"], start: "09:00", endTime: "17:00", timeZone: "UTC" } }, "workingHours.start"],
      [{ ...valid, startTime: String(start) }, "startTime"],
    ];
    for (const [input, field] of cases) {
      await assert.rejects(zpa.approvals.create(input), (error) => {
        assert.ok(error instanceof ZpaError, String(error));
        assert.equal(error.kind, "invalidInput", JSON.stringify(input));
        assert.equal(error.field, field, error.message);
        return true;
      });
    }
    assert.deepEqual(await sim.requests(), []);
  });
});

describe("application segments and microtenants", () => {
  let sim;
  let zpa;
  before(async () => {
    sim = await startSim({ connectors: 300 });
    zpa = client(sim);
  });
  after(() => sim.close());

  /** The simulator's log as `METHOD path-tail?microtenantId=...`. */
  async function sent() {
    return (await sim.requests()).map((r) => {
      const tail = r.path.split("/customers/")[1].split("/").slice(1, 2).join("/");
      const tenant = (r.query ?? "").split("&").find((p) => p.startsWith("microtenantId="));
      return `${r.method} ${tail}${tenant ? `?${tenant}` : ""}`;
    });
  }

  test("list, get, byName, ofType", async () => {
    const all = await collect(zpa.applications.list());
    assert.ok(all.length >= 10);
    assert.equal(inspect(zpa.applications), "Applications {}");
    const bastion = await zpa.applications.byName("SSH Jump / Bastion");
    assert.deepEqual(await zpa.applications.get(bastion.id), bastion);
    assert.equal(typeof bastion.serverGroups[0].id, "string");
    await assert.rejects(zpa.applications.byName("ssh jump / bastion"), (error) => {
      assert.equal(error.kind, "notFound");
      assert.match(error.message, /there is "SSH Jump \/ Bastion"/);
      return true;
    });
    await assert.rejects(zpa.applications.byName("Jump Hosts"), (error) => {
      assert.equal(error.kind, "ambiguous");
      assert.deepEqual(error.candidates.map((c) => c.microtenantName), ["Finance", "Engineering & R/D"]);
      assert.ok(error.candidates.every((c) => typeof c.id === "string" && typeof c.microtenantId === "string"));
      return true;
    });
    const pra = await collect(zpa.applications.ofType("SECURE_REMOTE_ACCESS"));
    assert.ok(pra.length > 0 && pra.every((a) => all.some((s) => s.id === a.appId)));
    await assert.rejects(async () => zpa.applications.ofType("SSH"), { kind: "invalidInput", field: "type" });
  });

  test("an approval from segment names and a Date, looked up in one request", async () => {
    await sim.clearRequests();
    const start = new Date(Date.now() + 600e3);
    const created = await zpa.approvals.create({
      email: "oncall@example.com",
      applications: ["SSH Jump / Bastion"],
      startTime: start,
      endTime: Math.floor(start.getTime() / 1000) + 86400,
    });
    assert.equal(created.startTime, Math.floor(start.getTime() / 1000));
    assert.equal(created.applications[0].id, (await zpa.applications.byName("SSH Jump / Bastion")).id);
    assert.deepEqual((await sent()).slice(0, 2), ["GET application", "POST approval"]);
    await assert.rejects(
      zpa.approvals.create({ email: "a@example.com", applications: ["ammo4"], startTime: Date.now(), endTime: Date.now() + 1 }),
      (error) => {
        assert.equal(error.field, "startTime");
        assert.match(error.message, /is milliseconds \(as Date\.now\(\) gives\), not epoch seconds/);
        return true;
      },
    );
  });

  test("a connector read in a microtenant is updated and deleted by id", async () => {
    const [finance] = await zpa.connectors.listPage({ page: 1, pageSize: 500, search: "microtenantName EQ Finance" }).then((p) => p.items.filter((c) => !c.zscalerManaged));
    await sim.clearRequests();
    await zpa.connectors.update(finance.id, { description: "hello" });
    assert.deepEqual(await sent(), ["PUT connector", "GET connector", `PUT connector?microtenantId=${finance.microtenantId}`]);
    assert.equal((await zpa.connectors.get(finance.id)).description, "hello");
    await zpa.connectors.delete(finance.id);
    await assert.rejects(zpa.connectors.delete(finance.id), (error) => {
      assert.equal(error.kind, "notFound");
      assert.equal(error.message, `no connector ${finance.id} in the Default microtenant, nor in any other these credentials can read`);
      return true;
    });
  });
});

describe("fields the package does not know", () => {
  let sim;
  let zpa;
  before(async () => {
    sim = await startSim({ connectors: 300, futureFields: true });
    zpa = client(sim);
  });
  after(() => sim.close());

  /** Every object of a listing as the server sends it, parsed by JSON.parse. */
  async function sent(path) {
    const objects = [];
    for (let page = 1; ; page++) {
      const response = await fetch(`${sim.baseUrl}/mgmtconfig/v1/admin/customers/${sim.customerId}/${path}?page=${page}&pagesize=500`, {
        headers: { authorization: `Bearer ${sim.token}` },
      });
      const body = await response.json();
      objects.push(...(body.list ?? []));
      if (page >= Number(body.totalPages)) return objects;
    }
  }

  // The durations are computed from the clock as the server answers.
  const clockFields = new Set(["lastBrokerConnectTimeDuration", "lastBrokerDisconnectTimeDuration"]);

  /** `got` holds every key and value of `sent`, and nothing else; integers the API sends as strings are numbers. */
  function assertAsSent(got, sent, path = "") {
    if (typeof sent === "string" && typeof got === "number") {
      assert.equal(String(got), sent, path);
    } else if (Array.isArray(sent)) {
      assert.ok(Array.isArray(got), path);
      assert.equal(got.length, sent.length, path);
      sent.forEach((item, i) => assertAsSent(got[i], item, `${path}[${i}]`));
    } else if (sent !== null && typeof sent === "object") {
      assert.deepEqual(Object.keys(got).sort(), Object.keys(sent).sort(), path);
      for (const key of Object.keys(sent)) {
        if (!clockFields.has(key)) assertAsSent(got[key], sent[key], `${path}.${key}`);
      }
    } else {
      assert.equal(got, sent, path);
    }
  }

  test("listed connectors carry every key and value the server sent, at every depth", async () => {
    const listed = await collect(zpa.connectors.list());
    const expected = await sent("connector");
    assert.equal(listed.length, 300);
    listed.forEach((connector, i) => assertAsSent(connector, expected[i], connector.id));
    const [first] = listed;
    assert.deepEqual(first.tunnelPolicy.weights, [1, 2.5, null]);
    assert.equal(first.decommissionedAt, null);
    assert.ok(listed.some((c) => c.assistantVersion?.healthScore?.value === 97.5));
  });

  test("approvals and their segments carry them too", async () => {
    const listed = await collect(zpa.approvals.list());
    const expected = await sent("approval");
    listed.forEach((approval, i) => assertAsSent(approval, expected[i], approval.id));
    const one = await zpa.approvals.get(listed[0].id);
    assertAsSent(one, expected[0]);
    assert.equal(one.reviewChain[1].approvedAt, null);
    // Integers JavaScript cannot hold exactly come as JSON.parse makes them.
    assert.equal(one.applications[0].segmentFlags.limits.maxTunnels, 2 ** 64);
    assert.equal(one.applications[0].segmentFlags.limits.epochNanos, 1773370063123456789);
  });
});

describe("rate limiting", () => {
  test("a listing under ZPA's limits gets no 429", async () => {
    const sim = await startSim({ connectors: 1000, rateLimit: "zpa", rateWindow: "500ms" });
    try {
      const zpa = client(sim, { rateLimit: { reads: 20, writes: 10, windowMs: 500 } });
      const all = await collect(zpa.connectors.list({ pageSize: 20 }));
      assert.equal(all.length, 1000);
      const statuses = (await sim.requests()).map((r) => r.status);
      assert.equal(statuses.length, 50);
      assert.deepEqual([...new Set(statuses)], [200]);
    } finally {
      sim.close();
    }
  });
});

describe("prefetch", () => {
  // How far ahead of the caller `zpa`'s listing has requested, at each page.
  async function requestedAhead(zpa, sim) {
    const listing = zpa.connectors.list({ pageSize: 10 });
    const ahead = [];
    for (let page = 1; (await listing.nextPage()) !== undefined; page++) {
      const listed = (await sim.requests()).filter((r) => r.path.endsWith("/connector"));
      ahead.push(listed.length - page);
    }
    return ahead;
  }

  test("over a slow link a listing keeps several pages in flight; under a limit, one", async () => {
    const slow = await startSim({ connectors: 300, latency: "60ms" });
    try {
      const ahead = await requestedAhead(client(slow), slow);
      assert.ok(Math.max(...ahead) >= 3, `ahead: ${ahead}`);
    } finally {
      slow.close();
    }
    const limited = await startSim({ connectors: 300, rateLimit: "zpa", rateWindow: "300ms" });
    try {
      const zpa = client(limited, { rateLimit: { reads: 10, writes: 5, windowMs: 300 } });
      const ahead = await requestedAhead(zpa, limited);
      assert.ok(ahead.slice(15).every((n) => n <= 1), `ahead: ${ahead}`);
      assert.deepEqual([...new Set((await limited.requests()).map((r) => r.status))], [200]);
    } finally {
      limited.close();
    }
  });
});

describe("pacing in words", () => {
  test("fixed and zpa pace, off does not; a budget shared through Redis is native-only", async () => {
    const sim = await startSim({ connectors: 30 });
    try {
      for (const rateLimit of ["zpa", "fixed", "off"]) {
        assert.equal((await collect(client(sim, { rateLimit }).connectors.list())).length, 30);
      }
      assert.throws(() => client(sim, { rateLimit: "redis://:pw@127.0.0.1:6379/0" }), (error) => {
        assert.ok(error instanceof ZpaError);
        assert.equal(error.kind, "invalidInput");
        assert.match(error.message, /"zpa", "fixed", "off"/);
        assert.doesNotMatch(error.message, /pw@/);
        return true;
      });
    } finally {
      sim.close();
    }
  });
});

describe("secrets", () => {
  test("no secret or token reaches an error, its stack, its fields or its JSON", async () => {
    const sim = await startSim({ connectors: 5 });
    try {
      const wrongSecret = "wrong-s3cr3t-never-shown";
      const wrongToken = "wrong-t0ken-never-shown";
      const shown = [];
      const show = (value) => shown.push(String(value), inspect(value, { depth: null, showHidden: true }), JSON.stringify(value));
      const showFailure = async (call, status) => {
        const error = await call().then(
          () => assert.fail("the call should have failed"),
          (error) => error,
        );
        assert.ok(error instanceof ZpaError);
        assert.equal(error.status, status);
        show(error);
        show(error.stack);
        show({ ...error });
      };
      const withCredentials = (options) => client(sim, { token: undefined, ...options });
      // Signed in with an issued token, then failing: the error must not carry that token.
      const signedIn = withCredentials({ clientId: sim.clientId, clientSecret: sim.clientSecret });
      assert.equal((await signedIn.connectors.listPage({ page: 1 })).items.length, 5);
      await showFailure(() => signedIn.connectors.get("1"), 404);
      const badSecret = withCredentials({ clientId: sim.clientId, clientSecret: wrongSecret });
      await showFailure(() => badSecret.connectors.listPage({ page: 1 }), 401);
      const badToken = withCredentials({ token: wrongToken });
      await showFailure(() => badToken.connectors.listPage({ page: 1 }), 401);
      assert.throws(
        () => new ZpaClient({ customerId: "1", baseUrl: "http://example.com", clientId: "c", clientSecret: wrongSecret }),
        (error) => (show(error), error.field === "baseUrl"),
      );
      const everything = shown.join("\n");
      assert.match(everything, /ZpaError/);
      // Tokens the simulator issues all start with the same JWT header.
      for (const secret of [sim.clientSecret, wrongSecret, sim.token, wrongToken, "eyJhbGciOiJSUzI1NiJ9."]) {
        assert.ok(!everything.includes(secret), `${secret} leaked`);
      }
      assert.doesNotMatch(everything, /bearer /i);
    } finally {
      sim.close();
    }
  });
});
