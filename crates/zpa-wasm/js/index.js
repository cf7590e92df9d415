// The package entry: loads the wasm module (from disk in Node, by URL in a
// browser), registers the error class, and exports the client.
import init, * as wasm from "./zpa_wasm.js";

/** Every failure: `kind`, `status`, `code` (the ZPA error id), `reason`, `field`. */
export class ZpaError extends Error {
  constructor(message, details) {
    super(message);
    this.name = "ZpaError";
    Object.assign(this, details);
  }
}

const module = new URL("./zpa_wasm_bg.wasm", import.meta.url);
if (typeof process !== "undefined" && process.versions?.node) {
  const { readFile } = await import("node:fs/promises");
  await init({ module_or_path: await readFile(module) });
} else {
  await init({ module_or_path: module });
}
wasm.__setErrorClass(ZpaError);
// Pages cross from wasm whole; items are handed out here, in JavaScript.
wasm.ItemStream.prototype[Symbol.asyncIterator] = async function* () {
  try {
    for (let page = await this.nextPage(); page !== undefined; page = await this.nextPage()) {
      yield* page;
    }
  } finally {
    await this.stop();
  }
};

export { ZpaClient, Connectors, Approvals, ItemStream, workingHoursCrons, vocabulary } from "./zpa_wasm.js";
