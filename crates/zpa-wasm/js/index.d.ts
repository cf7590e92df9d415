/** Every failure of the client rejects (or throws) with a ZpaError. */
export declare class ZpaError extends Error {
  /** What failed; "unavailable" when the WebAssembly module could not be loaded. */
  kind: "api" | "rateLimited" | "auth" | "transport" | "decode" | "invalidInput" | "notFound" | "ambiguous" | "partlyDeleted" | "unavailable" | "error";
  /** HTTP status, when a response was received. */
  status?: number;
  /** ZPA error id, such as "resource.not.found". */
  code?: string;
  /** The API's explanation, or why an input was rejected. */
  reason?: string;
  /** For invalid input: the option or argument, as named in JavaScript ("pageSize", "workingHours.days[1]"). */
  field?: string;
  /** For "ambiguous": every object the name matched, with where it lives (no microtenantId: Default). */
  candidates?: { id: string; microtenantId?: string; microtenantName?: string }[];
  /** For "partlyDeleted": the ids deleted before the failure (the others were not). */
  deleted?: string[];
}

/**
 * Resolves once the WebAssembly module is ready (it is instantiated when the
 * package is imported); rejects with a ZpaError of kind "unavailable" when it
 * could not be, such as under a Content-Security-Policy without
 * 'wasm-unsafe-eval'.
 */
export declare function init(): Promise<void>;

/** One page with the listing's totals. */
export interface Page<T> {
  items: T[];
  page: number;
  totalPages: number;
  /** Absent when the API does not say. */
  totalCount?: number;
}

/**
 * The items of a listing, fetched page by page as they are consumed: iterate
 * with `for await`; leaving the loop early stops the pages fetched ahead.
 */
export interface Listing<T> extends AsyncIterable<T> {
  /** The items of the next page, or `undefined` after the last one. */
  nextPage(): Promise<T[] | undefined>;
  /** Stops the listing. */
  stop(): Promise<void>;
}
