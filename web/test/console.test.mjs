// End-to-end test of the browser console (web/console) against the simulator.
//
//   node --test web/test/console.test.mjs      (from the repository root or web/)
//
// Starts zpa-sim and the static server through serve.mjs, drives the page in
// headless Chromium (Debian's /usr/bin/chromium, through playwright-core) and
// checks what a user sees against what the JavaScript package reports when
// Node asks the same simulator. The steps run in order and share state: the
// stale connectors are deleted, an approval is created.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

import { ZpaClient, workingHoursCrons } from "../pkg/index.js";
import { start } from "../serve.mjs";

const webDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const screenshotPath = join(webDir, "test-results", "console.png");
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const CONNECTORS = 300;
const PAGE_SIZE = 20; // the console's default page size
const DISCONNECTED = "controlChannelStatus EQ ZPN_STATUS_DISCONNECTED";
const WAIT_MS = 20_000;

let server;
let browser;
let page;
let zpa; // the package in Node, against the same simulator
const pageErrors = [];

/** Retries `check` (which throws on failure) until it passes or the time is up. */
async function eventually(what, check, timeout = WAIT_MS) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) {
        const banner = await bannerText().catch(() => "");
        error.message =
          `${what} (waited ${timeout} ms): ${error.message}` +
          (banner ? `\n  error banner on the page: ${banner}` : "") +
          (pageErrors.length ? `\n  page errors: ${pageErrors.join(" | ")}` : "");
        throw error;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const byTestId = (id) => page.getByTestId(id);
const text = async (id) => ((await byTestId(id).textContent()) ?? "").trim();
const visible = (id) => byTestId(id).isVisible();

async function bannerText() {
  return (await visible("error-banner")) ? text("error-banner") : "";
}

async function assertNoBanner(context) {
  const shown = await bannerText();
  assert.equal(shown, "", `${context}: the error banner should be hidden, but says ${JSON.stringify(shown)}`);
}

/** Row ids of a table body, in order. */
function rowIds(testid) {
  return byTestId(testid)
    .locator("tr")
    .evaluateAll((rows) => rows.map((row) => row.dataset.id));
}

async function countAll(options = {}) {
  let n = 0;
  for await (const _ of zpa.connectors.list({ pageSize: 500, ...options })) n++;
  return n;
}

before(async () => {
  assert.ok(
    existsSync(chromiumPath),
    `Chromium not found at ${chromiumPath}: apt-get install -y chromium (or set CHROMIUM_PATH)`,
  );
  server = await start({ port: 0, connectors: CONNECTORS });
  zpa = new ZpaClient({ ...server.sim, rateLimit: false });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(WAIT_MS);
  page.on("pageerror", (error) => pageErrors.push(error.message));
});

after(async () => {
  await page?.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.close();
});

test("connects with the simulator's settings, and shows a bad setting in the error banner", async () => {
  await page.goto(server.url);
  await page.locator("body[data-ready=true]").waitFor();
  assert.equal(await byTestId("base-url").inputValue(), server.sim.baseUrl, "base URL prefilled from config.json");
  assert.equal(await byTestId("customer-id").inputValue(), server.sim.customerId, "customer id prefilled");
  assert.equal(await byTestId("token").inputValue(), server.sim.token, "token prefilled");
  assert.equal(await visible("connectors-section"), false, "the connector table waits for a connection");

  // A bad customer id: the client rejects it before any request.
  await byTestId("customer-id").fill("not-a-number");
  await byTestId("connect").click();
  await eventually("error banner for a bad customer id", async () => {
    assert.equal(await visible("error-banner"), true, "banner visible");
    assert.match(await text("error-message"), /invalid customerId: "not-a-number" is not an id/);
  });
  assert.match(await text("error-detail"), /kind invalidInput/);
  assert.equal(await text("connection-status"), "Not connected");

  // A wrong token: the API answers 401.
  await byTestId("customer-id").fill(server.sim.customerId);
  await byTestId("token").fill("wrong-token");
  await byTestId("connect").click();
  await eventually("error banner for a wrong token", async () => {
    assert.match(await text("error-message"), /authentication failed: 401/);
  });
  assert.equal(await visible("connectors-section"), false, "still not connected");

  await byTestId("token").fill(server.sim.token);
  await byTestId("connect").click();
  await eventually("connected", async () => {
    assert.match(await text("connection-status"), /^Connected · /);
  });
  await assertNoBanner("after connecting");
  for (const section of ["connectors-section", "stale-section", "approvals-section"]) {
    assert.equal(await visible(section), true, `${section} shown once connected`);
  }
});

test("the connector table shows the first page with the simulator's totals", async () => {
  const total = await countAll();
  assert.equal(total, CONNECTORS, "the simulator holds the connectors it was started with");
  const expectedPages = Math.ceil(total / PAGE_SIZE);
  const nodePage1 = await zpa.connectors.listPage({ page: 1, pageSize: PAGE_SIZE });
  assert.equal(nodePage1.totalPages, expectedPages, "listPage's totalPages agrees with the count");

  await eventually("first page of connectors", async () => {
    assert.equal(await text("page-info"), `page 1 of ${expectedPages}`);
    assert.equal(await byTestId("connectors-rows").locator("tr").count(), PAGE_SIZE, "one row per connector of the page");
    assert.equal(await text("total-info"), `${total} connectors`);
  });
  assert.equal(await byTestId("page-size").inputValue(), String(PAGE_SIZE), "default page size");
  assert.deepEqual(await rowIds("connectors-rows"), nodePage1.items.map((c) => c.id), "the rows are page 1, in order");
  assert.equal(await byTestId("page-prev").isDisabled(), true, "Prev disabled on page 1");
  assert.equal(await byTestId("page-next").isDisabled(), false, "Next enabled on page 1");
  const firstName = await byTestId("connectors-rows").locator("tr").first().locator("td").first().textContent();
  assert.equal(firstName, nodePage1.items[0].name, "first row shows the connector's name");

  const nodePage2 = await zpa.connectors.listPage({ page: 2, pageSize: PAGE_SIZE });
  await byTestId("page-next").click();
  await eventually("second page of connectors", async () => {
    assert.equal(await text("page-info"), `page 2 of ${expectedPages}`);
    assert.deepEqual(await rowIds("connectors-rows"), nodePage2.items.map((c) => c.id), "the rows are page 2");
  });
  assert.equal(await byTestId("page-prev").isDisabled(), false, "Prev enabled on page 2");
  await assertNoBanner("paging");
});

test("the search builder shows only disconnected connectors", async () => {
  const disconnected = await countAll({ search: DISCONNECTED });
  assert.ok(disconnected > PAGE_SIZE, `the simulator has more than a page of disconnected connectors (${disconnected})`);
  const nodePage1 = await zpa.connectors.listPage({ page: 1, pageSize: PAGE_SIZE, search: DISCONNECTED });

  await byTestId("search-field").selectOption("controlChannelStatus");
  await byTestId("search-op").selectOption("EQ");
  await byTestId("search-value").fill("ZPN_STATUS_DISCONNECTED");
  await byTestId("search-add").click();
  assert.equal(await text("search-expression"), DISCONNECTED, "expression text of one clause");
  assert.equal(await visible("search-expression"), true, "the expression is shown");
  assert.equal(await byTestId("search-clauses").locator("li").count(), 1, "one clause chip");
  assert.equal(await byTestId("search-value").inputValue(), "", "value input cleared after Add clause");

  await byTestId("search-run").click();
  await eventually("disconnected connectors", async () => {
    assert.equal(await byTestId("connectors-table").getAttribute("data-search"), DISCONNECTED);
    assert.equal(await text("page-info"), `page 1 of ${Math.ceil(disconnected / PAGE_SIZE)}`);
    assert.equal(await text("total-info"), `${disconnected} connectors`);
  });
  assert.equal(await text("search-applied"), DISCONNECTED, "the applied search is shown");
  const statuses = await byTestId("connectors-rows")
    .locator('td[data-field="controlChannelStatus"] .badge')
    .evaluateAll((badges) => badges.map((b) => b.dataset.value));
  assert.equal(statuses.length, PAGE_SIZE, "a full page of disconnected connectors");
  assert.deepEqual(new Set(statuses), new Set(["ZPN_STATUS_DISCONNECTED"]), "every row is disconnected");
  assert.deepEqual(await rowIds("connectors-rows"), nodePage1.items.map((c) => c.id), "same rows as the package in Node");

  // A second clause is joined with AND.
  await byTestId("search-field").selectOption("lastBrokerDisconnectTimeDuration");
  await byTestId("search-op").selectOption("GT");
  await byTestId("search-value").fill("15d");
  await byTestId("search-add").click();
  assert.equal(
    await text("search-expression"),
    `${DISCONNECTED} AND lastBrokerDisconnectTimeDuration GT 15d`,
    "two clauses joined with AND",
  );

  await byTestId("search-clear").click();
  assert.equal(await text("search-expression"), "", "Clear empties the expression");
  await eventually("all connectors again after Clear", async () => {
    assert.equal(await byTestId("connectors-table").getAttribute("data-search"), "");
    assert.equal(await text("page-info"), `page 1 of ${Math.ceil(CONNECTORS / PAGE_SIZE)}`);
    assert.equal(await byTestId("connectors-rows").locator("tr").count(), PAGE_SIZE);
  });
  await assertNoBanner("search");
});

test("the stale view lists connectors stale for 15 days and deletes them after confirmation", async () => {
  const expected = await zpa.connectors.stale("15d");
  assert.ok(expected.length > 0, "the simulator has stale connectors");
  const expectedIds = expected.map((c) => c.id).sort();
  // Zscaler Deception's decoys are listed but cannot be selected: the API refuses to delete them.
  const deletable = expected.filter((c) => c.zscalerManaged !== true);
  const managedIds = expected.filter((c) => c.zscalerManaged === true).map((c) => c.id).sort();
  assert.ok(managedIds.length > 0, "the fleet has a stale decoy");

  assert.equal(await byTestId("stale-days").inputValue(), "15", "15 days by default");
  await byTestId("stale-find").click();
  await eventually("stale connectors listed", async () => {
    assert.equal(await byTestId("stale-summary").getAttribute("data-count"), String(expected.length));
  });
  assert.equal(
    await text("stale-summary"),
    `${expected.length} connectors disconnected for more than 15 days.`,
  );
  assert.deepEqual((await rowIds("stale-rows")).sort(), expectedIds, "the rows are stale('15d') of the package");
  const boxes = byTestId("stale-rows").locator("input[type=checkbox]");
  assert.equal(await boxes.count(), expected.length, "one checkbox per stale connector");
  const checked = await boxes.evaluateAll((all) => all.filter((b) => b.checked).length);
  assert.equal(checked, deletable.length, "every deletable stale connector is selected by default");
  const disabled = await boxes.evaluateAll((all) => all.filter((b) => b.disabled).map((b) => b.value).sort());
  assert.deepEqual(disabled, managedIds, "connectors Zscaler manages cannot be selected");
  assert.equal(await text("stale-delete"), `Delete selected (${deletable.length})`);

  // Cancel deletes nothing.
  await byTestId("stale-delete").click();
  await byTestId("confirm-dialog").waitFor({ state: "visible" });
  await byTestId("confirm-cancel").click();
  await byTestId("confirm-dialog").waitFor({ state: "hidden" });
  assert.equal((await zpa.connectors.stale("15d")).length, expected.length, "Cancel deleted nothing");

  await byTestId("stale-delete").click();
  await byTestId("confirm-dialog").waitFor({ state: "visible" });
  assert.equal(await text("confirm-title"), `Delete ${deletable.length} connectors?`);
  // Writes without a microtenant go to the Default one: one bulk request per microtenant.
  const microtenants = new Set(deletable.map((c) => c.microtenantId ?? "")).size;
  assert.match(
    await text("confirm-detail"),
    new RegExp(`in ${microtenants} bulk requests?\\b`),
    "the dialog says how many bulk requests",
  );
  const listed = await byTestId("confirm-list").locator("li .name").allTextContents();
  assert.deepEqual(listed.sort(), deletable.map((c) => c.name).sort(), "the dialog names every selected connector");
  await byTestId("confirm-ok").click();
  await byTestId("confirm-dialog").waitFor({ state: "hidden" });

  await eventually("only the decoys are left after the delete", async () => {
    assert.equal(await text("stale-notice"), `Deleted ${deletable.length} connectors.`);
    assert.equal(await byTestId("stale-summary").getAttribute("data-count"), String(managedIds.length));
    assert.deepEqual((await rowIds("stale-rows")).sort(), managedIds);
  });
  await assertNoBanner("stale delete");

  assert.deepEqual(
    (await zpa.connectors.stale("15d")).map((c) => c.id).sort(),
    managedIds,
    "Node sees only the decoys left",
  );
  const remaining = await countAll();
  assert.equal(remaining, CONNECTORS - deletable.length, "exactly the selected connectors were deleted");
  await eventually("connector table refreshed after the delete", async () => {
    assert.equal(await text("total-info"), `${remaining} connectors`);
    assert.equal(await text("page-info"), `page 1 of ${Math.ceil(remaining / PAGE_SIZE)}`);
  });
});

test("creates an approval with working hours, previewing the UTC crons first", async () => {
  const sample = await zpa.approvals.listPage({ page: 1, pageSize: 1 });
  const appId = sample.items[0]?.applications?.[0]?.id;
  assert.ok(appId, "an existing approval names an application segment");
  const email = `console-test-${Date.now()}@example.com`;
  const expectedCrons = { startTimeCron: "0 30 3 ? * MON,FRI", endTimeCron: "0 30 11 ? * MON,FRI" };
  const workingHours = { days: ["MON", "FRI"], startTime: "09:00", endTime: "17:00", timeZone: "Asia/Kolkata" };
  assert.deepEqual(
    { ...workingHoursCrons(workingHours, Math.floor(Date.now() / 1000)) },
    expectedCrons,
    "the package computes these crons",
  );

  await eventually("approvals listed", async () => {
    assert.match(await text("approvals-count"), /^\d+ approvals?$/);
  });
  const before = await byTestId("approvals-rows").locator("tr").count();

  await byTestId("approval-email").fill(email);
  await byTestId("approval-apps").fill(appId);
  assert.equal(await byTestId("wh-start").isDisabled(), true, "working hours off by default");
  await byTestId("wh-enabled").check();
  for (const day of ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]) {
    await byTestId(`wh-day-${day}`).setChecked(workingHours.days.includes(day));
  }
  await byTestId("wh-start").fill(workingHours.startTime);
  await byTestId("wh-end").fill(workingHours.endTime);

  // A time zone that does not exist: the preview says why.
  await byTestId("wh-tz").fill("Mars/Olympus_Mons");
  await eventually("crons preview rejects an unknown time zone", async () => {
    assert.equal(await visible("crons-error"), true, "validation error shown");
    assert.match(await text("crons-error"), /Mars\/Olympus_Mons/);
    assert.equal(await text("cron-start"), "—");
  });

  await byTestId("wh-tz").fill(workingHours.timeZone);
  await eventually("crons preview for Asia/Kolkata 09:00-17:00 MON,FRI", async () => {
    assert.equal(await text("cron-start"), expectedCrons.startTimeCron);
    assert.equal(await text("cron-end"), expectedCrons.endTimeCron);
    assert.equal(await visible("crons-error"), false, "no validation error");
  });
  assert.equal(await visible("approval-created"), false, "nothing sent before Create");

  const sentAt = Math.floor(Date.now() / 1000);
  await byTestId("approval-create").click();
  await eventually("approval created", async () => {
    assert.equal(await visible("approval-created"), true, "confirmation shown");
    assert.match(await text("approval-created"), /^Created approval \d+\.$/);
  });
  const id = await byTestId("approval-created").getAttribute("data-id");
  const row = byTestId("approvals-rows").locator(`tr[data-id="${id}"]`);
  await eventually("new approval in the list", async () => {
    assert.equal(await row.count(), 1, `row for approval ${id}`);
    assert.equal(await byTestId("approvals-rows").locator("tr").count(), before + 1, "one more row");
  });
  const cells = await row.locator("td").allTextContents();
  assert.equal(cells[0], id, "id column");
  assert.equal(cells[1], email, "email column");
  assert.equal(cells[2], "FUTURE", "starts in 5 minutes, so FUTURE");
  assert.equal(cells[6], "MON,FRI 09:00–17:00Asia/Kolkata", "working hours column (days, hours; zone)");
  assert.equal(cells[7], `${expectedCrons.startTimeCron}${expectedCrons.endTimeCron}`, "UTC crons column");
  await assertNoBanner("create approval");

  const stored = await zpa.approvals.get(id);
  assert.deepEqual(stored.emailIds, [email], "stored email");
  assert.deepEqual(stored.applications.map((a) => a.id), [appId], "stored application");
  assert.equal(stored.workingHours.startTimeCron, expectedCrons.startTimeCron, "stored start cron");
  assert.equal(stored.workingHours.endTimeCron, expectedCrons.endTimeCron, "stored end cron");
  assert.deepEqual(stored.workingHours.days, workingHours.days, "stored days");
  assert.ok(
    Math.abs(stored.startTime - (sentAt + 300)) <= 60,
    `start defaults to now + 5 min (${stored.startTime} vs ${sentAt + 300})`,
  );
  assert.equal(stored.endTime - stored.startTime, 7 * 24 * 3600, "end defaults to start + 7 days");
  const utc = (s) => new Date(s * 1000).toISOString().slice(0, 16).replace("T", " ");
  assert.equal(cells[3], utc(stored.startTime), "start column in UTC");
  assert.equal(cells[4], utc(stored.endTime), "end column in UTC");
});

test("the page has no uncaught errors; screenshot", async () => {
  assert.deepEqual(pageErrors, [], "uncaught errors in the page");
  await mkdir(dirname(screenshotPath), { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: screenshotPath, fullPage: true });
  assert.ok(existsSync(screenshotPath), `screenshot at ${screenshotPath}`);
});
