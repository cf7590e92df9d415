// Starts the zpa-sim binary (ZPA_SIM_BIN, or the debug build) on a free port,
// for the console server and the tests, and reads what its banner announces.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const defaultBinary = fileURLToPath(new URL("../target/debug/zpa-sim", import.meta.url));

/** Starts a simulator; resolves to { baseUrl, customerId, clientId, clientSecret, token, requests(), clearRequests(), close() }. */
export async function startSim({
  connectors = 200,
  rateLimit = "off",
  rateWindow = "10s",
  futureFields = false,
  latency = "0ms",
  binary = process.env.ZPA_SIM_BIN ?? defaultBinary,
} = {}) {
  const args = ["--port", "0", "--connectors", String(connectors), "--rate-limit", rateLimit, "--rate-window", rateWindow, "--latency", latency];
  if (futureFields) args.push("--future-fields");
  const child = spawn(binary, args, {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const banner = {};
  const lines = createInterface({ input: child.stdout });
  await new Promise((resolve, reject) => {
    child.once("error", (error) =>
      reject(new Error(`cannot start the simulator ${binary}: ${error.message} (cargo build -p zpa-sim, or set ZPA_SIM_BIN)`)),
    );
    child.once("exit", (code) => reject(new Error(`zpa-sim exited with ${code} before announcing itself`)));
    lines.on("line", (line) => {
      const listening = line.match(/^listening on (\S+)/);
      if (listening) banner.baseUrl = listening[1];
      const field = line.match(/^(customer id|client id|client secret|static token): (\S+)/);
      if (field) banner[field[1]] = field[2];
      if (["customer id", "client id", "client secret", "static token"].every((name) => banner[name]) && banner.baseUrl) resolve();
    });
  });
  child.removeAllListeners("exit");
  const baseUrl = banner.baseUrl;
  return {
    baseUrl,
    customerId: banner["customer id"],
    clientId: banner["client id"],
    clientSecret: banner["client secret"],
    token: banner["static token"],
    /** The simulator's request log: [{ method, path, query, body, status }]. */
    async requests() {
      return (await fetch(`${baseUrl}/_sim/requests`)).json();
    },
    async clearRequests() {
      await fetch(`${baseUrl}/_sim/requests`, { method: "DELETE" });
    },
    close() {
      lines.close();
      child.kill();
    },
  };
}
