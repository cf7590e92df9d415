// What every setup of the test app does: load the package by name, list the
// simulator's connectors and report what it saw. Imported by the browser and
// Node entries; no top-level await (Vite's default targets refuse it).
import { ZpaClient, ZpaError, init } from "zpa-wasm";

/** Resolves to { count, idType, firstModified } or { error, kind }. */
export function listConnectors({ baseUrl, customerId, token }) {
  return run().catch((error) => ({
    error: String(error?.message ?? error),
    kind: error?.kind,
    isZpaError: error instanceof ZpaError,
  }));

  async function run() {
    await init();
    const zpa = new ZpaClient({ baseUrl, customerId, token, rateLimit: false });
    let count = 0;
    let first;
    for await (const connector of zpa.connectors.list({ pageSize: 500 })) {
      first ??= connector;
      count++;
    }
    return { count, idType: typeof first.id, modifiedType: typeof first.modifiedTime };
  }
}
