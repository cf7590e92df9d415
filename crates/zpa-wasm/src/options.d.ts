/**
 * How to reach the API and who the caller is: the client's settings
 * (`ClientSettings`, generated from the Rust client's), with what differs in
 * JavaScript.
 */
export interface ClientOptions
  extends Omit<ClientSettings, "customerId" | "privateKey" | "proxy" | "rateLimit"> {
  /** The ZPA tenant id. */
  customerId: string;
  /** Not available in JavaScript: private-key (JWT) sign-in is native-only and rejects with a clear error. */
  privateKey?: never;
  /** Not available in JavaScript: browsers and Node choose the proxy of fetch. */
  proxy?: never;
  /**
   * Pacing: "zpa", true or absent for ZPA's limits, lowered while 429s show
   * that others spend the tenant's budget; "fixed" for ZPA's limits always;
   * "off" or false for none; or custom limits (adaptive like "zpa"). A budget
   * shared through Redis is for the native client and CLI only.
   */
  rateLimit?: boolean | "zpa" | "fixed" | "off" | { reads: number; writes: number; windowMs: number };
}

/** Which items a listing returns. */
export interface ListOptions {
  /** Search expression, such as "controlChannelStatus EQ ZPN_STATUS_DISCONNECTED". */
  search?: string;
  /** Items per page, 1 to 500 (default 500). */
  pageSize?: number;
}

/** One page of a listing. */
export interface PageOptions extends ListOptions {
  /** Page number, from 1. */
  page: number;
}

/** A listing of approvals, optionally sorted. */
export interface ApprovalListOptions extends ListOptions {
  /** Field to sort by, such as "endTime". */
  sortBy?: string;
  /** Sort direction (default "asc"). */
  sortDir?: "asc" | "desc";
}

/** A page of approvals, optionally sorted. */
export interface ApprovalPageOptions extends ApprovalListOptions {
  /** Page number, from 1. */
  page: number;
}

/** One page with the listing's totals. */
export interface Page<T> {
  items: T[];
  page: number;
  totalPages: number;
  /** Absent when the API does not say. */
  totalCount?: number;
}

/** The fields of an App Connector that an update changes. */
export interface ConnectorChanges {
  name?: string;
  description?: string;
  enabled?: boolean;
}

/** Daily working hours of an approval, in local time. */
export interface WorkingHoursInput {
  /** Days from "MON" to "SUN". */
  days: string[];
  /** Local start, "HH:MM". */
  startTime: string;
  /** Local end, "HH:MM". */
  endTime: string;
  /** IANA time zone, such as "America/Vancouver". */
  timeZone: string;
}

/** What an approval grants; checked before any request. */
export interface ApprovalInput {
  email: string;
  applicationIds: string[];
  /** Epoch seconds. */
  startTime: number;
  /** Epoch seconds. */
  endTime: number;
  workingHours?: WorkingHoursInput;
}

/**
 * What `approvals.update` changes: only the fields given (the approval is
 * read, changed and written back); `workingHours: null` removes them. A
 * start time left alone may lie in the past.
 */
export interface ApprovalChange {
  email?: string;
  applicationIds?: string[];
  /** Epoch seconds. */
  startTime?: number;
  /** Epoch seconds. */
  endTime?: number;
  workingHours?: WorkingHoursInput | null;
}

/** The UTC crons the API stores for working hours. */
export interface Crons {
  startTimeCron: string;
  endTimeCron: string;
}

/** A field a search (or an approval listing's sort) can name. */
export interface SearchField {
  name: string;
  kind: "text" | "number" | "bool" | "duration";
}

/** The words the client takes, from `vocabulary()`. */
export interface Vocabulary {
  connectorFields: SearchField[];
  approvalFields: SearchField[];
  operators: string[];
  sortDirections: string[];
  weekdays: string[];
  clouds: string[];
}
