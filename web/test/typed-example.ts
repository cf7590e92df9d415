// Compiled with `tsc --noEmit` by the test command: proves the package's
// declarations describe every option and result a caller uses.
import { ZpaClient, ZpaError, vocabulary, workingHoursCrons } from "../pkg/index.js";
import type { Approval, ApprovalInput, Connector, Crons, Page, Vocabulary } from "../pkg/index.js";

const zpa = new ZpaClient({
  baseUrl: "http://127.0.0.1:9999",
  customerId: "216196257331281920",
  token: "token",
  rateLimit: { reads: 20, writes: 10, windowMs: 10_000 },
});
const fixedPace = new ZpaClient({ baseUrl: "http://127.0.0.1:9999", customerId: "1", token: "t", rateLimit: "fixed" });

export async function tour(): Promise<void> {
  await fixedPace.connectors.listPage({ page: 1 });
  for await (const connector of zpa.connectors.list({ search: "enabled EQ true", pageSize: 100 })) {
    const id: string = connector.id;
    const modified: number | undefined = connector.modifiedTime;
    const name: string = connector.name;
    console.log(id, modified, name, connector.enrollmentCert?.name);
  }
  const page: Page<Connector> = await zpa.connectors.listPage({ page: 1, pageSize: 20 });
  const total: number | undefined = page.totalCount;
  const stale: Connector[] = await zpa.connectors.stale("15d");
  await zpa.connectors.update(stale[0].id, { name: "edge-1", enabled: false });
  await zpa.connectors.bulkDelete(stale.map((c) => c.id));

  const input: ApprovalInput = {
    email: "oncall@example.com",
    applicationIds: ["145256180497776992"],
    startTime: 1_764_000_000,
    endTime: 1_764_600_000,
    workingHours: { days: ["MON", "TUE"], startTime: "09:00", endTime: "17:00", timeZone: "Asia/Kolkata" },
  };
  const crons: Crons = workingHoursCrons(input.workingHours!, input.startTime);
  const approval: Approval = await zpa.approvals.create(input);
  const status: string | undefined = approval.status;
  const words: Vocabulary = vocabulary();
  console.log(words.connectorFields.map((f) => `${f.name}:${f.kind}`), words.operators);
  await zpa.approvals.update(approval.id, { endTime: 1_764_700_000 });
  await zpa.approvals.update(approval.id, { workingHours: null });
  for await (const a of zpa.approvals.list({ sortBy: "endTime", sortDir: "desc" })) {
    const emails: string[] = a.emailIds ?? [];
    console.log(emails, a.workingHours?.startTimeCron);
  }
  const deleted: boolean = await zpa.approvals.deleteExpired();
  console.log(total, crons.startTimeCron, status, deleted);

  try {
    await zpa.approvals.get(approval.id);
  } catch (error) {
    if (error instanceof ZpaError) {
      const code: string | undefined = error.code;
      const httpStatus: number | undefined = error.status;
      console.log(error.kind, code, httpStatus, error.reason, error.field);
    }
  }

  // @ts-expect-error ids are strings, never numbers (they exceed 2^53)
  await zpa.connectors.get(217246660303024871);
  // @ts-expect-error sort directions are "asc" or "desc"
  zpa.approvals.list({ sortDir: "DESC" });
  // @ts-expect-error times are epoch seconds as numbers
  await zpa.approvals.create({ ...input, startTime: "tomorrow" });
  // @ts-expect-error a change names only fields an approval has
  await zpa.approvals.update(approval.id, { endTme: 1 });
}
