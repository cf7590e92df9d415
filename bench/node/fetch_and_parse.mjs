// Node's own floor for a listing, without the package: every page fetched
// with Node's fetch (ZPA_IN_FLIGHT at once, default 2) and read with
// JSON.parse, nothing checked or converted. Prints {"count": N,
// "aboveImportKb": M} as list_connectors.mjs does, whose figures it bounds.
// Env: ZPA_BASE_URL, ZPA_CUSTOMER_ID, ZPA_TOKEN, ZPA_IN_FLIGHT.
const started = process.resourceUsage().maxRSS;
const url = `${process.env.ZPA_BASE_URL}/mgmtconfig/v1/admin/customers/${process.env.ZPA_CUSTOMER_ID}/connector`;
const headers = { authorization: `Bearer ${process.env.ZPA_TOKEN}` };
const inFlight = Number(process.env.ZPA_IN_FLIGHT ?? 2);

async function page(number) {
  const response = await fetch(`${url}?page=${number}&pagesize=500`, { headers });
  if (!response.ok) throw new Error(`page ${number}: HTTP ${response.status}`);
  return JSON.parse(await response.text());
}

// The first page says how many there are; then up to inFlight at once.
const pending = new Map([[1, page(1)]]);
let count = 0;
for (let number = 1, total = 1; number <= total; number++) {
  const { list = [], totalPages } = await pending.get(number);
  pending.delete(number);
  total = Number(totalPages);
  for (let next = number + 1; next <= Math.min(total, number + inFlight); next++) {
    if (!pending.has(next)) pending.set(next, page(next));
  }
  for (const connector of list) if (connector.id) count += 1;
}
console.log(JSON.stringify({ count, aboveImportKb: process.resourceUsage().maxRSS - started }));
