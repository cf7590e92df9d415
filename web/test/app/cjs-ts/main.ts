// A TypeScript project compiled to CommonJS (module nodenext in a
// "type": "commonjs" package): the import becomes require().
import { ZpaClient } from "zpa-wasm";

// Node's globals, declared here so that the check needs no @types/node.
declare const process: { env: Record<string, string | undefined> };
declare const console: { log(text: string): void };

async function main(): Promise<void> {
  const zpa = new ZpaClient({
    baseUrl: process.env.ZPA_BASE_URL,
    customerId: process.env.ZPA_CUSTOMER_ID ?? "",
    token: process.env.ZPA_TOKEN,
    rateLimit: false,
  });
  let count = 0;
  for await (const connector of zpa.connectors.list()) count += connector.id ? 1 : 0;
  console.log(JSON.stringify({ count }));
}
main();
