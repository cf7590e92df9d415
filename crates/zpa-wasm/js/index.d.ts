export { ZpaClient, Connectors, Approvals, ItemStream, workingHoursCrons, vocabulary } from "./zpa_wasm.js";
export type * from "./zpa_wasm.js";

/** Every failure of the client rejects with a ZpaError. */
export class ZpaError extends Error {
  /** What failed. */
  kind: "api" | "rateLimited" | "auth" | "transport" | "decode" | "invalidInput" | "notFound" | "ambiguous" | "error";
  /** HTTP status, when a response was received. */
  status?: number;
  /** ZPA error id, such as "resource.not.found". */
  code?: string;
  /** The API's explanation, or why an input was rejected. */
  reason?: string;
  /** For invalid input: which option or argument. */
  field?: string;
}
