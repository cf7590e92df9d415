// Compiled with tsc in a fresh app that installed the package by name,
// under lib es2022 alone and with the DOM: the declarations describe every
// method, option and result, and refuse what the client would refuse.
import { Approvals, Connectors, ZpaClient, ZpaError, init, vocabulary, workingHoursCrons } from "zpa-wasm";
import type { ApplicationSegment, Approval, ApprovalInput, Connector, Crons, Listing, Page, Vocabulary } from "zpa-wasm";

const seen: unknown[] = [];

export async function tour(): Promise<void> {
  await init();
  const zpa = new ZpaClient({
    baseUrl: "http://127.0.0.1:9999",
    customerId: "216196257331281920",
    token: "token",
    cloud: "PRODUCTION",
    rateLimit: { reads: 20, writes: 10, windowMs: 10_000 },
  });
  new ZpaClient({ customerId: "1", clientId: "c", clientSecret: "s", rateLimit: "fixed" }).free();
  const scoped: ZpaClient = zpa.microtenant("216196257331282070");
  const connectors: Connectors = scoped.connectors;
  const approvals: Approvals = zpa.approvals;

  for await (const connector of connectors.list()) {
    const id: string = connector.id;
    const modified: number | undefined = connector.modifiedTime;
    seen.push(id, modified, connector.name, connector.enrollmentCert?.name);
  }
  const listing: Listing<Connector> = connectors.list({ search: "enabled EQ true", pageSize: 100 });
  const firstPage: Connector[] | undefined = await listing.nextPage();
  await listing.stop();
  const page: Page<Connector> = await connectors.listPage({ page: 1, pageSize: 20 });
  const one: Connector = await connectors.get(page.items[0].id);
  const named: Connector = await connectors.byName("edge-1");
  await connectors.update(one.id, { name: "edge-1", enabled: false });
  const stale: Connector[] = await connectors.stale("15d");
  const deleted: number = await connectors.deleteListed(stale);
  await connectors.bulkDelete(stale.map((c) => c.id));
  await connectors.delete(named.id);
  seen.push(firstPage, page.totalCount, deleted);

  const input: ApprovalInput = {
    email: "oncall@example.com",
    applications: ["145256180497776992", "SSH Jump / Bastion", { name: "2024" }],
    startTime: 1_764_000_000,
    endTime: 1_764_600_000,
    workingHours: { days: ["MON", "TUE"], startTime: "09:00", endTime: "17:00", timeZone: "Asia/Kolkata" },
  };
  const crons: Crons = workingHoursCrons(input.workingHours!, input.startTime);
  const approval: Approval = await approvals.create(input);
  const status: string | undefined = approval.status;
  const words: Vocabulary = vocabulary();
  const kinds: ("text" | "number" | "bool" | "duration")[] = words.connectorFields.map((f) => f.kind);
  const stored: Approval = await approvals.update(approval.id, { endTime: new Date(1_764_700_000_000) });
  seen.push(stored.endTime);
  const segment: ApplicationSegment = await zpa.applications.byName("SSH Jump / Bastion");
  for await (const app of zpa.applications.ofType("SECURE_REMOTE_ACCESS")) {
    const parent: string | undefined = app.appId;
    seen.push(parent, segment.serverGroups?.[0]?.name);
  }
  await approvals.update(approval.id, { workingHours: null });
  const mine: Approval[] = await approvals.byEmail("oncall@example.com");
  for await (const a of approvals.list({ sortBy: "endTime", sortDir: "desc" })) {
    const emails: string[] = a.emailIds ?? [];
    seen.push(emails, a.workingHours?.startTimeCron);
  }
  const approvalPage: Page<Approval> = await approvals.listPage({ page: 1, sortBy: "startTime" });
  await approvals.delete((await approvals.get(approval.id)).id);
  const expired: boolean = await approvals.deleteExpired();
  seen.push(crons.startTimeCron, status, kinds, mine, approvalPage.totalPages, expired);

  try {
    await approvals.get(approval.id);
  } catch (error) {
    if (error instanceof ZpaError) {
      const code: string | undefined = error.code;
      const httpStatus: number | undefined = error.status;
      seen.push(error.kind, code, httpStatus, error.reason, error.field, error.candidates?.[0]?.microtenantName, error.deleted);
    }
  }

  // @ts-expect-error ids are strings, never numbers (they exceed 2^53)
  await connectors.get(217246660303024871);
  // @ts-expect-error clouds are a closed list
  new ZpaClient({ customerId: "1", token: "t", cloud: "PRODUCTON" });
  // @ts-expect-error customerId is required
  new ZpaClient({ token: "t" });
  // @ts-expect-error private-key sign-in is native-only
  new ZpaClient({ customerId: "1", clientId: "c", privateKey: "key" });
  // @ts-expect-error sort fields are a closed list
  approvals.list({ sortBy: "endTme" });
  // @ts-expect-error sort directions are "asc" or "desc"
  approvals.list({ sortDir: "DESC" });
  // @ts-expect-error weekdays are MON to SUN
  workingHoursCrons({ ...input.workingHours!, days: ["MONDAY"] }, input.startTime);
  // @ts-expect-error times are a Date or epoch seconds, never text
  await approvals.create({ ...input, startTime: "tomorrow" });
  // @ts-expect-error segments are named by id or name, nothing else
  await approvals.create({ ...input, applications: [{ title: "SSH" }] });
  // @ts-expect-error application types are a closed list
  zpa.applications.ofType("SSH");
  // @ts-expect-error a change names only fields an approval has
  await approvals.update(approval.id, { endTme: 1 });
  // @ts-expect-error listPage needs a page number
  await connectors.listPage({ pageSize: 5 });
}
