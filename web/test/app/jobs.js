// The two jobs as a new user runs them, with the package installed by name:
// an approval from a segment's name and a Date, and a connector read in a
// microtenant then changed and deleted by its id alone. Settings from the
// environment; what happened as JSON on stdout.
import { ZpaClient } from "zpa-wasm";

const { ZPA_BASE_URL: baseUrl, ZPA_CUSTOMER_ID: customerId, ZPA_TOKEN: token } = process.env;
const zpa = new ZpaClient({ baseUrl, customerId, token, rateLimit: false });

const segment = await zpa.applications.byName("SSH Jump / Bastion");
const start = new Date(Date.now() + 600e3);
const approval = await zpa.approvals.create({
  email: "oncall@example.com",
  applications: ["SSH Jump / Bastion"],
  startTime: start,
  endTime: new Date(start.getTime() + 7 * 86400e3),
});

const page = await zpa.connectors.listPage({ page: 1, pageSize: 500, search: "microtenantName EQ Finance" });
const connector = page.items.find((c) => !c.zscalerManaged);
await zpa.connectors.update(connector.id, { description: "rack 7" });
const updated = await zpa.connectors.get(connector.id);
await zpa.connectors.delete(connector.id);
const gone = await zpa.connectors.get(connector.id).then(
  () => false,
  (error) => error.status === 404,
);

console.log(
  JSON.stringify({
    approvedSegment: approval.applications[0].id === segment.id,
    startTime: approval.startTime === Math.floor(start.getTime() / 1000),
    microtenant: updated.microtenantName,
    description: updated.description,
    gone,
  }),
);
