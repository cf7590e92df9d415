// Random values of every JavaScript type thrown at every method and option
// (fast-check): the package answers with a ZpaError or a result, never a
// TypeError or a wasm RuntimeError, and the client keeps working after.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import fc from "fast-check";

import { ZpaClient, ZpaError, vocabulary, workingHoursCrons } from "../pkg/index.js";
import { startSim } from "../sim.mjs";

const CONNECTORS = 40;
let sim;
let zpa;
before(async () => {
  sim = await startSim({ connectors: CONNECTORS });
  zpa = new ZpaClient({ baseUrl: sim.baseUrl, customerId: sim.customerId, token: sim.token, rateLimit: false });
});
after(() => sim?.close());

/** Any JavaScript value, odd ones included. */
const anyValue = fc.oneof(
  fc.anything({
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withTypedArray: true,
    withUnicodeString: true,
  }),
  fc.constantFrom(undefined, null, NaN, Infinity, -Infinity, -0, 2 ** 53, 2 ** 64, 1.5, "", Symbol("s"), () => 1, [], {}, Object.create(null)),
);

/** An id argument: any value, or ids the simulator may know. */
const idValue = fc.oneof(anyValue, fc.constantFrom("1", "217246660303024871", "-2", "0"));

/** A valid object with one field (possibly nested) replaced by any value, or dropped. */
function mutated(valid) {
  const paths = [];
  const walk = (value, path) => {
    if (value && typeof value === "object") {
      for (const key of Object.keys(value)) {
        paths.push([...path, key]);
        walk(value[key], [...path, key]);
      }
    }
  };
  walk(valid, []);
  return fc.tuple(fc.constantFrom(...paths), anyValue, fc.boolean(), fc.string()).map(([path, value, extra, key]) => {
    const copy = structuredClone(valid);
    let parent = copy;
    for (const step of path.slice(0, -1)) parent = parent[step];
    parent[path.at(-1)] = value;
    if (extra) copy[key] = value;
    return copy;
  });
}

const now = Math.floor(Date.now() / 1000);
const hours = { days: ["MON"], startTime: "09:00", endTime: "17:00", timeZone: "UTC" };
const approval = { email: "a@example.com", applications: ["1", "SSH Jump / Bastion", { name: "2024" }, { id: "2" }], startTime: now + 60, endTime: now + 3600, workingHours: hours };
const options = { baseUrl: "http://127.0.0.1:1", customerId: "1", token: "t", rateLimit: { reads: 1, writes: 1, windowMs: 1 } };

/** Every entry point, with an arbitrary for its arguments. */
const calls = {
  "new ZpaClient": [fc.tuple(fc.oneof(anyValue, mutated(options))), (o) => new ZpaClient(o)],
  microtenant: [fc.tuple(idValue), (id) => zpa.microtenant(id)],
  vocabulary: [fc.tuple(anyValue), () => vocabulary()],
  workingHoursCrons: [fc.tuple(fc.oneof(anyValue, mutated(hours)), anyValue), (h, s) => workingHoursCrons(h, s)],
  "connectors.get": [fc.tuple(idValue), (id) => zpa.connectors.get(id)],
  "connectors.byName": [fc.tuple(anyValue), (name) => zpa.connectors.byName(name)],
  "connectors.list": [fc.tuple(fc.oneof(anyValue, mutated({ search: "enabled EQ true", pageSize: 5 }))), (o) => zpa.connectors.list(o)],
  "connectors.listPage": [fc.tuple(fc.oneof(anyValue, mutated({ page: 1, pageSize: 5, search: "name EQ x" }))), (o) => zpa.connectors.listPage(o)],
  "connectors.update": [fc.tuple(idValue, fc.oneof(anyValue, mutated({ name: "n", description: "d", enabled: true }))), (id, c) => zpa.connectors.update(id, c)],
  "connectors.delete": [fc.tuple(idValue), (id) => zpa.connectors.delete(id)],
  "connectors.bulkDelete": [fc.tuple(fc.oneof(anyValue, fc.array(anyValue))), (ids) => zpa.connectors.bulkDelete(ids)],
  "connectors.deleteListed": [fc.tuple(fc.oneof(anyValue, fc.array(anyValue), mutated([{ id: "1", microtenantId: "0" }]))), (c) => zpa.connectors.deleteListed(c)],
  "connectors.stale": [fc.tuple(anyValue), (age) => zpa.connectors.stale(age)],
  "approvals.create": [fc.tuple(fc.oneof(anyValue, mutated(approval))), (a) => zpa.approvals.create(a)],
  "approvals.get": [fc.tuple(idValue), (id) => zpa.approvals.get(id)],
  "approvals.byEmail": [fc.tuple(anyValue), (email) => zpa.approvals.byEmail(email)],
  "approvals.list": [fc.tuple(fc.oneof(anyValue, mutated({ sortBy: "endTime", sortDir: "desc", pageSize: 5 }))), (o) => zpa.approvals.list(o)],
  "approvals.listPage": [fc.tuple(fc.oneof(anyValue, mutated({ page: 1, sortBy: "endTime", sortDir: "asc" }))), (o) => zpa.approvals.listPage(o)],
  "approvals.update": [fc.tuple(idValue, fc.oneof(anyValue, mutated({ ...approval, workingHours: null }))), (id, c) => zpa.approvals.update(id, c)],
  "approvals.delete": [fc.tuple(idValue), (id) => zpa.approvals.delete(id)],
  "approvals.deleteExpired": [fc.tuple(anyValue), () => zpa.approvals.deleteExpired()],
  "applications.get": [fc.tuple(idValue), (id) => zpa.applications.get(id)],
  "applications.byName": [fc.tuple(anyValue), (name) => zpa.applications.byName(name)],
  "applications.list": [fc.tuple(fc.oneof(anyValue, mutated({ search: "name EQ x", pageSize: 5 }))), (o) => zpa.applications.list(o)],
  "applications.listPage": [fc.tuple(fc.oneof(anyValue, mutated({ page: 1, pageSize: 5 }))), (o) => zpa.applications.listPage(o)],
  "applications.ofType": [
    fc.tuple(fc.oneof(anyValue, fc.constantFrom("SECURE_REMOTE_ACCESS", "INSPECT")), fc.oneof(anyValue, mutated({ pageSize: 5 }))),
    (type, o) => zpa.applications.ofType(type, o),
  ],
};

/** Calls, awaits, and pulls a page from a listing; returns the error thrown, if any. */
async function outcome(call, args) {
  try {
    const result = await call(...args);
    if (result && typeof result.nextPage === "function") {
      await result.nextPage();
      await result.stop();
    }
    return undefined;
  } catch (error) {
    return error;
  }
}

for (const [name, [args, call]] of Object.entries(calls)) {
  test(`${name}: any arguments give a result or a ZpaError`, async () => {
    await fc.assert(
      fc.asyncProperty(args, async (values) => {
        const error = await outcome(call, values);
        if (error !== undefined && !(error instanceof ZpaError)) {
          throw new Error(`${name} threw ${error?.constructor?.name}: ${error?.message ?? error}`);
        }
        if (error?.kind === "invalidInput") assert.equal(typeof error.field, "string", error.message);
      }),
      { numRuns: 150, seed: 15 },
    );
  });
}

test("the client still works after every property", async () => {
  const fresh = new ZpaClient({ baseUrl: sim.baseUrl, customerId: sim.customerId, token: sim.token, rateLimit: false });
  let count = 0;
  for await (const connector of fresh.connectors.list()) count += typeof connector.id === "string" ? 1 : 0;
  assert.ok(count > 0 && count <= CONNECTORS, String(count));
  assert.equal((await zpa.connectors.listPage({ page: 1, pageSize: 1 })).page, 1);
  assert.deepEqual(vocabulary().sortDirections, ["asc", "desc"]);
});
