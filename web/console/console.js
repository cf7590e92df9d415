// The ZPA browser console: App Connectors (paged table with a search
// builder, stale connectors with bulk delete) and Privileged Approvals (list
// and create with a live preview of the working-hours crons).
//
// Everything goes through the zpa JavaScript package (../pkg), the Rust
// client compiled to WebAssembly; this file only draws the page.

const $ = (testid, root = document) => root.querySelector(`[data-testid="${testid}"]`);

// --- errors ---------------------------------------------------------------

const banner = $("error-banner");

/** Shows a failure in the banner: the ZpaError's message and details. */
function showError(error, context) {
  console.error(context ?? "error", error);
  const message = error?.message ?? String(error);
  $("error-message").textContent = context ? `${context}: ${message}` : message;
  const details = [];
  if (error?.kind) details.push(`kind ${error.kind}`);
  if (error?.status) details.push(`HTTP ${error.status}`);
  if (error?.code) details.push(error.code);
  if (error?.field) details.push(`field: ${error.field}`);
  $("error-detail").textContent = details.join(" · ");
  banner.hidden = false;
}

function clearError() {
  banner.hidden = true;
  $("error-message").textContent = "";
  $("error-detail").textContent = "";
}

$("error-dismiss").addEventListener("click", clearError);

// The package loads its wasm by URL; report it in the page if that fails
// (opened from file://, or the server lacks pkg/).
let pkg;
try {
  pkg = await import("../pkg/index.js");
} catch (error) {
  showError(error, "Could not load the zpa package (../pkg/index.js)");
  $("connect").disabled = true;
  throw error;
}
const { ZpaClient, workingHoursCrons, vocabulary } = pkg;

// --- small helpers --------------------------------------------------------

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Epoch seconds as "YYYY-MM-DD HH:MM" in UTC. */
function utc(seconds) {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds)) return "—";
  return new Date(seconds * 1000).toISOString().slice(0, 16).replace("T", " ");
}

/** A datetime-local value read as UTC, in epoch seconds (undefined when empty). */
function parseUtcInput(value) {
  if (!value) return undefined;
  const ms = Date.parse(`${value}${value.length === 16 ? ":00" : ""}Z`);
  return Number.isNaN(ms) ? NaN : Math.floor(ms / 1000);
}

function badge(text) {
  const value = text ?? "—";
  const tone =
    /AUTHENTICATED|^ACTIVE$/.test(value) ? "ok" :
    /DISCONNECTED|EXPIRED/.test(value) ? "bad" :
    /FUTURE/.test(value) ? "info" : "neutral";
  const label = value.replace(/^ZPN_STATUS_/, "");
  return el("span", { class: `badge ${tone}`, title: value, dataset: { value } }, label);
}

function setBusy(testid, busy) {
  $(testid).hidden = !busy;
}

// --- connection -----------------------------------------------------------

const state = {
  zpa: null,
  connectors: { page: 1, pageSize: 20, search: "", totalPages: 0, seq: 0 },
  totals: new Map(), // "search|pageSize|totalPages" -> total count
  clauses: [],
  stale: { items: [], days: 15, seq: 0 },
  approvalsSeq: 0,
};

const form = $("connect-form");

async function prefill() {
  try {
    const response = await fetch("config.json", { cache: "no-store" });
    if (!response.ok) return;
    const config = await response.json();
    for (const key of ["baseUrl", "customerId", "token"]) {
      if (typeof config[key] === "string" && !form.elements[key].value) form.elements[key].value = config[key];
    }
    $("config-hint").textContent = "Prefilled from config.json (the local simulator).";
  } catch {
    // No config.json: the form stays empty.
  }
}

function setConnection(text, stateName) {
  const status = $("connection-status");
  status.textContent = text;
  status.dataset.state = stateName;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearError();
  const options = {
    baseUrl: form.elements.baseUrl.value.trim() || undefined,
    customerId: form.elements.customerId.value.trim(),
    token: form.elements.token.value.trim() || undefined,
  };
  if (!form.elements.pace.checked) options.rateLimit = false;
  let zpa;
  try {
    zpa = new ZpaClient(options);
  } catch (error) {
    setConnection("Not connected", "error");
    showError(error);
    return;
  }
  const button = $("connect");
  button.disabled = true;
  setConnection("Connecting…", "busy");
  try {
    // One page proves the URL, tenant and token before the page switches over.
    const first = await zpa.connectors.listPage({ page: 1, pageSize: state.connectors.pageSize });
    state.zpa = zpa;
    state.totals.clear();
    state.clauses = [];
    state.connectors.search = "";
    renderClauses();
    for (const id of ["connectors-section", "stale-section", "approvals-section", "new-approval-section"]) $(id).hidden = false;
    setConnection(`Connected · ${options.baseUrl ?? "ZPA"} · customer ${options.customerId}`, "connected");
    showConnectorPage(first, { page: 1, pageSize: state.connectors.pageSize, search: "" }, ++state.connectors.seq);
    resetStale();
    loadApprovals();
  } catch (error) {
    setConnection(state.zpa ? "Connected (previous settings)" : "Not connected", state.zpa ? "connected" : "error");
    showError(error);
  } finally {
    button.disabled = false;
  }
});

// --- connectors: search builder -------------------------------------------

// Fields, their kinds and the operators come from the package (the lists the
// client checks searches against); the console adds only suggested values.
const WORDS = vocabulary();
const SUGGESTIONS = {
  controlChannelStatus: ["ZPN_STATUS_AUTHENTICATED", "ZPN_STATUS_DISCONNECTED"],
  enabled: ["true", "false"],
  upgradeStatus: ["COMPLETE", "IN_PROGRESS", "FAILED", "UNKNOWN"],
  lastBrokerDisconnectTimeDuration: ["1d", "7d", "15d", "30d", "90d"],
  lastBrokerConnectTimeDuration: ["1h", "1d", "7d", "15d"],
  platform: ["el7", "el8", "el9"],
};
const PLACEHOLDERS = { text: "text", bool: "true or false", duration: "such as 15d or 2d 4h", number: "a number" };

const fieldSelect = $("search-field");
const opSelect = $("search-op");
const valueInput = $("search-value");
fieldSelect.append(...WORDS.connectorFields.map(({ name }) => el("option", { value: name }, name)));
opSelect.append(...WORDS.operators.map((op) => el("option", { value: op }, op)));

function updateValueHints() {
  const { kind } = WORDS.connectorFields.find(({ name }) => name === fieldSelect.value);
  const values = SUGGESTIONS[fieldSelect.value] ?? [];
  valueInput.placeholder = PLACEHOLDERS[kind];
  document.getElementById("search-values").replaceChildren(...values.map((v) => el("option", { value: v })));
}
fieldSelect.addEventListener("change", updateValueHints);
updateValueHints();

const expression = () => state.clauses.map((c) => `${c.field} ${c.op} ${c.value}`).join(" AND ");

function renderClauses() {
  $("search-clauses").replaceChildren(
    ...state.clauses.map((clause, index) =>
      el(
        "li",
        { class: "clause" },
        el("span", {}, `${clause.field} ${clause.op} ${clause.value}`),
        el(
          "button",
          {
            type: "button",
            class: "icon",
            "aria-label": "Remove clause",
            title: "Remove clause",
            onclick: () => {
              state.clauses.splice(index, 1);
              renderClauses();
            },
          },
          "×",
        ),
      ),
    ),
  );
  $("search-expression").textContent = expression();
}

$("search-builder").addEventListener("submit", (event) => {
  event.preventDefault();
  const value = valueInput.value.trim();
  if (!value) {
    showError(new Error("Enter a value for the clause."));
    valueInput.focus();
    return;
  }
  clearError();
  state.clauses.push({ field: fieldSelect.value, op: opSelect.value, value });
  valueInput.value = "";
  renderClauses();
});

$("search-run").addEventListener("click", () => {
  // A value typed but not added yet counts as a clause.
  if (valueInput.value.trim()) $("search-add").click();
  clearError();
  loadConnectors({ page: 1, search: expression() });
});

$("search-clear").addEventListener("click", () => {
  state.clauses = [];
  valueInput.value = "";
  renderClauses();
  clearError();
  loadConnectors({ page: 1, search: "" });
});

// --- connectors: table and paging -----------------------------------------

async function loadConnectors(changes = {}) {
  if (!state.zpa) return;
  const query = {
    page: changes.page ?? state.connectors.page,
    pageSize: changes.pageSize ?? state.connectors.pageSize,
    search: changes.search ?? state.connectors.search,
  };
  const seq = ++state.connectors.seq;
  setBusy("connectors-busy", true);
  try {
    const options = { page: query.page, pageSize: query.pageSize };
    if (query.search) options.search = query.search;
    const result = await state.zpa.connectors.listPage(options);
    if (seq !== state.connectors.seq) return;
    showConnectorPage(result, query, seq);
  } catch (error) {
    if (seq === state.connectors.seq) {
      setBusy("connectors-busy", false);
      showError(error);
    }
  }
}

function showConnectorPage(result, query, seq) {
  Object.assign(state.connectors, query, { totalPages: result.totalPages ?? 0 });
  setBusy("connectors-busy", false);
  const rows = result.items.map((c) =>
    el(
      "tr",
      { dataset: { id: c.id } },
      el("td", { class: "name", title: c.id }, c.name),
      el("td", {}, c.appConnectorGroupName ?? "—"),
      el("td", { dataset: { field: "controlChannelStatus" } }, badge(c.controlChannelStatus)),
      el("td", { dataset: { field: "enabled" } }, c.enabled === undefined ? "—" : c.enabled ? "yes" : "no"),
      el("td", { class: "mono" }, c.currentVersion ?? "—"),
      el("td", { class: "mono", dataset: { field: "lastBrokerDisconnectTimeDuration" } }, c.lastBrokerDisconnectTimeDuration ?? "—"),
      el("td", {}, c.location ?? "—"),
    ),
  );
  $("connectors-rows").replaceChildren(...rows);
  $("connectors-empty").hidden = rows.length > 0;
  const totalPages = Math.max(state.connectors.totalPages, 1);
  $("page-info").textContent = `page ${query.page} of ${totalPages}`;
  $("page-prev").disabled = query.page <= 1;
  $("page-next").disabled = query.page >= totalPages;
  $("page-size").value = String(query.pageSize);
  $("search-applied").textContent = query.search || "all connectors";
  $("connectors-table").dataset.search = query.search;
  $("connectors-table").dataset.page = String(query.page);
  showTotal(result, query, seq);
}

/** Shows the number of matches; the API may omit totalCount, then it is derived from the last page. */
async function showTotal(result, query, seq) {
  const info = $("total-info");
  const totalPages = result.totalPages ?? 0;
  const key = `${query.search}|${query.pageSize}|${totalPages}`;
  const say = (n) => {
    if (seq === state.connectors.seq) info.textContent = `${n} connector${n === 1 ? "" : "s"}`;
  };
  if (typeof result.totalCount === "number") return say(result.totalCount);
  if (totalPages <= 1) return say(result.items.length);
  if (query.page === totalPages) {
    const n = (totalPages - 1) * query.pageSize + result.items.length;
    state.totals.set(key, n);
    return say(n);
  }
  if (state.totals.has(key)) return say(state.totals.get(key));
  info.textContent = "counting…";
  try {
    const options = { page: totalPages, pageSize: query.pageSize };
    if (query.search) options.search = query.search;
    const last = await state.zpa.connectors.listPage(options);
    const n = (totalPages - 1) * query.pageSize + last.items.length;
    state.totals.set(key, n);
    say(n);
  } catch {
    if (seq === state.connectors.seq) info.textContent = `about ${totalPages * query.pageSize} connectors`;
  }
}

$("page-prev").addEventListener("click", () => {
  clearError();
  loadConnectors({ page: Math.max(1, state.connectors.page - 1) });
});
$("page-next").addEventListener("click", () => {
  clearError();
  loadConnectors({ page: state.connectors.page + 1 });
});
$("page-size").addEventListener("change", (event) => {
  clearError();
  loadConnectors({ page: 1, pageSize: Number(event.target.value) });
});

// --- stale connectors -----------------------------------------------------

const dialog = $("confirm-dialog");

function resetStale() {
  state.stale.items = [];
  $("stale-rows").replaceChildren();
  $("stale-wrap").hidden = true;
  $("stale-notice").hidden = true;
  $("stale-summary").textContent = "Choose a number of days and press Find stale.";
  updateStaleSelection();
}

function selectedStale() {
  const checked = new Set(
    [...$("stale-rows").querySelectorAll("input[type=checkbox]:checked")].map((box) => box.value),
  );
  return state.stale.items.filter((c) => checked.has(c.id));
}

/** Connectors Zscaler manages (Deception's decoys): the API refuses to delete them. */
const deletable = (connectors) => connectors.filter((c) => c.zscalerManaged !== true);

function updateStaleSelection() {
  const selected = selectedStale().length;
  const total = deletable(state.stale.items).length;
  const button = $("stale-delete");
  button.disabled = selected === 0;
  button.textContent = selected ? `Delete selected (${selected})` : "Delete selected";
  const all = $("stale-all");
  all.checked = total > 0 && selected === total;
  all.indeterminate = selected > 0 && selected < total;
}

async function findStale() {
  if (!state.zpa) return;
  const daysInput = $("stale-days");
  const days = Number(daysInput.value);
  if (!Number.isInteger(days) || days < 0) {
    showError(new Error("The number of days must be a whole number, 0 or more."));
    return;
  }
  const seq = ++state.stale.seq;
  setBusy("stale-busy", true);
  try {
    const items = await state.zpa.connectors.stale(`${days}d`);
    if (seq !== state.stale.seq) return;
    state.stale.items = items;
    state.stale.days = days;
    $("stale-rows").replaceChildren(
      ...items.map((c) =>
        el(
          "tr",
          { dataset: { id: c.id } },
          el(
            "td",
            { class: "pick" },
            c.zscalerManaged === true
              ? el("input", { type: "checkbox", value: c.id, disabled: true, "aria-label": `${c.name} is managed by Zscaler` })
              : el("input", { type: "checkbox", value: c.id, checked: true, "aria-label": `Select ${c.name}` }),
          ),
          el(
            "td",
            { class: "name", title: c.id },
            c.name,
            c.zscalerManaged === true && el("span", { class: "muted", title: "The API refuses to delete it" }, " · managed by Zscaler"),
          ),
          el("td", {}, c.appConnectorGroupName ?? "—"),
          el("td", {}, c.microtenantName ?? "Default"),
          el("td", {}, badge(c.controlChannelStatus)),
          el("td", { class: "mono" }, c.lastBrokerDisconnectTimeDuration ?? "—"),
          el("td", { class: "mono" }, c.currentVersion ?? "—"),
        ),
      ),
    );
    $("stale-wrap").hidden = items.length === 0;
    $("stale-summary").textContent = items.length
      ? `${items.length} connector${items.length === 1 ? "" : "s"} disconnected for more than ${days} days.`
      : `No connector has been disconnected for more than ${days} days.`;
    $("stale-summary").dataset.count = String(items.length);
    updateStaleSelection();
  } catch (error) {
    if (seq === state.stale.seq) showError(error);
  } finally {
    if (seq === state.stale.seq) setBusy("stale-busy", false);
  }
}

$("stale-form").addEventListener("submit", (event) => {
  event.preventDefault();
  clearError();
  $("stale-notice").hidden = true;
  findStale();
});

$("stale-rows").addEventListener("change", updateStaleSelection);
$("stale-all").addEventListener("change", (event) => {
  for (const box of $("stale-rows").querySelectorAll("input[type=checkbox]:enabled")) box.checked = event.target.checked;
  updateStaleSelection();
});

/** How many bulk requests deleting `connectors` takes: one per microtenant. */
function requestCount(connectors) {
  return new Set(connectors.map((c) => c.microtenantId ?? "")).size;
}

$("stale-delete").addEventListener("click", () => {
  const selected = selectedStale();
  if (!selected.length) return;
  const requests = requestCount(selected);
  $("confirm-title").textContent = `Delete ${selected.length} connector${selected.length === 1 ? "" : "s"}?`;
  $("confirm-detail").textContent =
    `This deletes them from the tenant in ${requests} bulk request${requests === 1 ? "" : "s"}` +
    `${requests > 1 ? " (one per microtenant)" : ""}. It cannot be undone.`;
  $("confirm-list").replaceChildren(
    ...selected.map((c) =>
      el("li", { dataset: { id: c.id } }, el("span", { class: "name" }, c.name), el("span", { class: "muted" }, ` · ${c.microtenantName ?? "Default"}`)),
    ),
  );
  dialog.returnValue = "";
  dialog.showModal();
});

dialog.addEventListener("close", async () => {
  if (dialog.returnValue !== "confirm") return;
  const selected = selectedStale();
  if (!selected.length) return;
  const button = $("stale-delete");
  button.disabled = true;
  setBusy("stale-busy", true);
  clearError();
  let deleted = 0;
  try {
    deleted = await state.zpa.connectors.deleteListed(selected);
  } catch (error) {
    showError(error, `Deleting ${selected.length} connector${selected.length === 1 ? "" : "s"}`);
  }
  if (deleted) {
    const notice = $("stale-notice");
    notice.textContent = `Deleted ${deleted} connector${deleted === 1 ? "" : "s"}.`;
    notice.hidden = false;
    state.totals.clear();
  }
  await findStale();
  loadConnectors({ page: 1 });
});

// --- approvals: list ------------------------------------------------------

function workingHoursCell(wh) {
  if (!wh) return el("span", { class: "muted" }, "any time");
  return el(
    "div",
    { class: "wh" },
    el("div", {}, `${(wh.days ?? []).join(",")} ${wh.startTime ?? "?"}–${wh.endTime ?? "?"}`),
    el("div", { class: "muted" }, wh.timeZone ?? ""),
  );
}

function cronsCell(wh) {
  if (!wh?.startTimeCron) return el("span", { class: "muted" }, "—");
  return el("div", { class: "wh mono small" }, el("div", {}, wh.startTimeCron), el("div", {}, wh.endTimeCron));
}

async function loadApprovals() {
  if (!state.zpa) return;
  const seq = ++state.approvalsSeq;
  setBusy("approvals-busy", true);
  try {
    const items = [];
    const options = { sortBy: $("approvals-sort-by").value, sortDir: $("approvals-sort-dir").value };
    for await (const approval of state.zpa.approvals.list(options)) {
      if (seq !== state.approvalsSeq) return;
      items.push(approval);
    }
    if (seq !== state.approvalsSeq) return;
    $("approvals-rows").replaceChildren(
      ...items.map((a) =>
        el(
          "tr",
          { dataset: { id: a.id } },
          el("td", { class: "mono" }, a.id),
          el("td", { class: "email" }, (a.emailIds ?? []).join(", ") || "—"),
          el("td", {}, badge(a.status)),
          el("td", { class: "mono nowrap" }, utc(a.startTime)),
          el("td", { class: "mono nowrap" }, utc(a.endTime)),
          el(
            "td",
            { title: (a.applications ?? []).map((app) => `${app.name ?? ""} (${app.id})`).join("\n") },
            String((a.applications ?? []).length),
          ),
          el("td", {}, workingHoursCell(a.workingHours)),
          el("td", {}, cronsCell(a.workingHours)),
        ),
      ),
    );
    $("approvals-count").textContent = `${items.length} approval${items.length === 1 ? "" : "s"}`;
  } catch (error) {
    if (seq === state.approvalsSeq) showError(error);
  } finally {
    if (seq === state.approvalsSeq) setBusy("approvals-busy", false);
  }
}

$("approvals-refresh").addEventListener("click", loadApprovals);
$("approvals-sort-by").addEventListener("change", loadApprovals);
$("approvals-sort-dir").addEventListener("change", loadApprovals);

// --- approvals: create ----------------------------------------------------

const DAYS = WORDS.weekdays;
$("wh-days").append(
  ...DAYS.map((day) =>
    el(
      "label",
      { class: "day" },
      el("input", { type: "checkbox", value: day, checked: !["SAT", "SUN"].includes(day), dataset: { testid: `wh-day-${day}` } }),
      el("span", {}, day),
    ),
  ),
);

const approvalForm = $("approval-form");

/** The start and end the form means, in epoch seconds. */
function approvalTimes(now = Date.now()) {
  const startInput = parseUtcInput($("approval-start").value);
  const start = startInput ?? Math.floor(now / 1000) + 5 * 60;
  const endInput = parseUtcInput($("approval-end").value);
  const end = endInput ?? start + 7 * 24 * 3600;
  return { start, end };
}

function workingHoursInput() {
  if (!$("wh-enabled").checked) return undefined;
  return {
    days: DAYS.filter((day) => $(`wh-day-${day}`).checked),
    startTime: $("wh-start").value,
    endTime: $("wh-end").value,
    timeZone: $("wh-tz").value.trim(),
  };
}

function updateCrons() {
  const enabled = $("wh-enabled").checked;
  $("wh-fields").disabled = !enabled;
  const preview = $("crons-preview");
  const errorLine = $("crons-error");
  if (!enabled) {
    $("cron-start").textContent = "—";
    $("cron-end").textContent = "—";
    errorLine.hidden = true;
    preview.dataset.state = "off";
    return;
  }
  const { start } = approvalTimes();
  try {
    if (Number.isNaN(start)) throw new Error("the start is not a valid date and time");
    const crons = workingHoursCrons(workingHoursInput(), start);
    $("cron-start").textContent = crons.startTimeCron;
    $("cron-end").textContent = crons.endTimeCron;
    errorLine.hidden = true;
    errorLine.textContent = "";
    preview.dataset.state = "ok";
  } catch (error) {
    $("cron-start").textContent = "—";
    $("cron-end").textContent = "—";
    errorLine.textContent = error.message ?? String(error);
    errorLine.hidden = false;
    preview.dataset.state = "error";
  }
}

approvalForm.addEventListener("input", updateCrons);
approvalForm.addEventListener("change", updateCrons);
updateCrons();

approvalForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!state.zpa) return;
  clearError();
  const created = $("approval-created");
  created.hidden = true;
  const { start, end } = approvalTimes();
  const input = {
    email: $("approval-email").value.trim(),
    // Ids or exact names, comma-separated: names may hold spaces.
    applications: $("approval-apps")
      .value.split(",")
      .map((segment) => segment.trim())
      .filter(Boolean),
    startTime: start,
    endTime: end,
  };
  const workingHours = workingHoursInput();
  if (workingHours) input.workingHours = workingHours;
  if (Number.isNaN(start) || Number.isNaN(end)) {
    showError(new Error("Start and end must be valid dates and times (UTC)."));
    return;
  }
  const button = $("approval-create");
  button.disabled = true;
  try {
    const approval = await state.zpa.approvals.create(input);
    created.textContent = `Created approval ${approval.id}.`;
    created.dataset.id = approval.id;
    created.hidden = false;
    await loadApprovals();
    const row = $("approvals-rows").querySelector(`tr[data-id="${CSS.escape(approval.id)}"]`);
    if (row) {
      row.classList.add("fresh");
      row.scrollIntoView({ block: "nearest" });
    }
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
  }
});

// --- start ----------------------------------------------------------------

await prefill();
document.body.dataset.ready = "true";
