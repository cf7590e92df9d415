// CommonJS: require() by name, as an app without ESM does.
const { ZpaClient } = require("zpa-wasm");

async function main() {
  const { ZPA_BASE_URL: baseUrl, ZPA_CUSTOMER_ID: customerId, ZPA_TOKEN: token } = process.env;
  const zpa = new ZpaClient({ baseUrl, customerId, token, rateLimit: false });
  let count = 0;
  for await (const connector of zpa.connectors.list()) count += connector.id ? 1 : 0;
  console.log(JSON.stringify({ count }));
}
main();
