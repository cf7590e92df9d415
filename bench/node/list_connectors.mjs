// Lists every App Connector through the JavaScript package (web/pkg) and
// prints {"count": N, "aboveImportKb": M}: the program `cargo xtask bench`
// times in Node. M is how far the process's peak RSS rose above its peak
// once the package was imported. Env: ZPA_BASE_URL, ZPA_CUSTOMER_ID, ZPA_TOKEN.
import { ZpaClient } from "../../web/pkg/index.js";

const imported = process.resourceUsage().maxRSS;
const zpa = new ZpaClient({
  baseUrl: process.env.ZPA_BASE_URL,
  customerId: process.env.ZPA_CUSTOMER_ID,
  token: process.env.ZPA_TOKEN,
  rateLimit: false,
});
let count = 0;
for await (const connector of zpa.connectors.list()) {
  if (connector.id) count += 1;
}
console.log(JSON.stringify({ count, aboveImportKb: process.resourceUsage().maxRSS - imported }));
