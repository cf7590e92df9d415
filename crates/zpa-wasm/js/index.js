// The package entry, the same file for Node, browsers and every bundler.
//
// The wasm module is inlined (zpa_wasm_inline.js) and instantiated
// synchronously when this module is evaluated: no top-level await, no
// `node:` import and no asset for a bundler to copy or a server to find.
// A failure to instantiate (no WebAssembly, a Content-Security-Policy
// without 'wasm-unsafe-eval') does not fail the import: `init()` rejects
// with it and every entry point throws it, where the app's own try/catch
// sees it.

// Named imports, not the namespace, so that bundling drops what is unused:
// the glue's default init resolves a .wasm file beside it.
import {
  __setErrorClass,
  initSync,
  Applications,
  Approvals,
  Connectors,
  ItemStream,
  ZpaClient as LoadedClient,
  vocabulary as loadedVocabulary,
  workingHoursCrons as loadedCrons,
} from "./zpa_wasm.js";
import { wasm } from "./zpa_wasm_inline.js";

/** Every failure: `kind`, `status`, `code` (the ZPA error id), `reason`, `field`, and `candidates` or `deleted` where they apply. */
export class ZpaError extends Error {
  constructor(message, details) {
    super(message);
    this.name = "ZpaError";
    Object.assign(this, details);
  }
}

let failure;
try {
  initSync({ module: fromBase64(wasm) });
  __setErrorClass(ZpaError);
} catch (cause) {
  const reason = String(cause?.message ?? cause);
  failure = new ZpaError(`the zpa WebAssembly module could not be loaded: ${reason}`, { kind: "unavailable", reason, cause });
}

/** Resolves once the module is ready; rejects with the ZpaError that stopped it. */
export function init() {
  return failure ? Promise.reject(failure) : Promise.resolve();
}

function unavailable() {
  throw failure;
}

let ZpaClient = LoadedClient;
let vocabulary = loadedVocabulary;
let workingHoursCrons = loadedCrons;
if (failure) {
  ZpaClient = class ZpaClient {
    constructor() {
      unavailable();
    }
  };
  vocabulary = workingHoursCrons = unavailable;
} else {
  // Listings hand out their items here, in JavaScript: pages cross from
  // wasm whole, and leaving a loop early stops the pages fetched ahead.
  ItemStream.prototype[Symbol.asyncIterator] = async function* () {
    try {
      for (let page = await this.nextPage(); page !== undefined; page = await this.nextPage()) {
        yield* page;
      }
    } finally {
      await this.stop();
    }
  };
  // Node's console shows what the object is, not the wasm pointer inside it.
  const shown = [
    [ZpaClient, "ZpaClient"],
    [Connectors, "Connectors"],
    [Approvals, "Approvals"],
    [Applications, "Applications"],
    [ItemStream, "Listing"],
  ];
  for (const [type, name] of shown) {
    type.prototype[Symbol.for("nodejs.util.inspect.custom")] = () => `${name} {}`;
  }
}

export { ZpaClient, Connectors, Approvals, Applications, vocabulary, workingHoursCrons };

/** Base64 to bytes, in every engine (atob would build a string first). */
function fromBase64(text) {
  const digits = new Uint8Array(128);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (let i = 0; i < alphabet.length; i++) digits[alphabet.charCodeAt(i)] = i;
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  for (let i = 0, j = 0; i < text.length; i += 4) {
    const n =
      (digits[text.charCodeAt(i)] << 18) |
      (digits[text.charCodeAt(i + 1)] << 12) |
      (digits[text.charCodeAt(i + 2)] << 6) |
      digits[text.charCodeAt(i + 3)];
    bytes[j++] = n >> 16;
    if (j < bytes.length) bytes[j++] = (n >> 8) & 255;
    if (j < bytes.length) bytes[j++] = n & 255;
  }
  return bytes;
}
