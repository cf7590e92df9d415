// The Node entry (ESM, run directly or bundled): settings from the
// environment, the result as JSON on stdout.
import { listConnectors } from "./list.js";

const { ZPA_BASE_URL: baseUrl, ZPA_CUSTOMER_ID: customerId, ZPA_TOKEN: token } = process.env;
listConnectors({ baseUrl, customerId, token }).then((result) => console.log(JSON.stringify(result)));
