#!/usr/bin/env node
// Serves the browser console against a local simulator.
//
//   node web/serve.mjs [--sim PATH] [--port N] [--connectors N]
//
// Starts `zpa-sim` (ZPA_SIM_BIN, or ../target/debug/zpa-sim from this file),
// reads its banner, serves this directory (web/) on 127.0.0.1 and answers
// /console/config.json with the simulator's { baseUrl, customerId, token }.
// The simulator stops with this process.
//
// The test imports `start()` from here instead of running the CLI.

import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

import { startSim } from "./sim.mjs";

const webRoot = dirname(fileURLToPath(import.meta.url));

const contentTypes = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".ts": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

function send(res, status, body, type = "text/plain; charset=utf-8") {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

async function serveStatic(req, res, pathname, root = webRoot, headers = {}) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return send(res, 400, "bad path\n");
  }
  if (decoded.includes("\0")) return send(res, 400, "bad path\n");
  let file = resolve(root, "." + decoded);
  if (file !== root && !file.startsWith(root + sep)) return send(res, 403, "forbidden\n");
  let info;
  try {
    info = await stat(file);
    if (info.isDirectory()) {
      if (!pathname.endsWith("/")) {
        res.writeHead(301, { location: pathname + "/" });
        return res.end();
      }
      file = join(file, "index.html");
      info = await stat(file);
    }
  } catch {
    return send(res, 404, `not found: ${pathname}\n`);
  }
  const type = contentTypes[extname(file).toLowerCase()] ?? "application/octet-stream";
  res.writeHead(200, { "content-type": type, "content-length": info.size, "cache-control": "no-store", ...headers });
  if (req.method === "HEAD") return res.end();
  createReadStream(file).pipe(res);
}

/** Serves the files under `root` on 127.0.0.1 with `headers` added; resolves to { url, close() }. */
export async function serveFiles(root, headers = {}) {
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url, "http://127.0.0.1");
    serveStatic(req, res, pathname, resolve(root), headers).catch(() => res.destroy());
  });
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", ok);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((done) => (server.closeAllConnections(), server.close(() => done()))),
  };
}

/**
 * Starts the simulator and the static server.
 * Resolves to { url, sim: { baseUrl, customerId, token }, close() }.
 */
export async function start({ port = 0, connectors = 300, simPath } = {}) {
  const sim = await startSim({ connectors, binary: simPath });
  const config = { baseUrl: sim.baseUrl, customerId: sim.customerId, token: sim.token };
  const killSim = () => sim.close();
  process.on("exit", killSim);

  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url, "http://127.0.0.1");
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "method not allowed\n");
    if (pathname === "/console/config.json") return send(res, 200, JSON.stringify(config), contentTypes[".json"]);
    if (pathname === "/") {
      res.writeHead(302, { location: "/console/" });
      return res.end();
    }
    serveStatic(req, res, pathname).catch((error) => {
      if (!res.headersSent) send(res, 500, `${error.message}\n`);
      else res.destroy();
    });
  });
  try {
    await new Promise((ok, fail) => {
      server.once("error", fail);
      server.listen(port, "127.0.0.1", ok);
    });
  } catch (error) {
    killSim();
    process.off("exit", killSim);
    throw error;
  }
  const url = `http://127.0.0.1:${server.address().port}/console/`;

  let closed;
  const close = () =>
    (closed ??= new Promise((done) => {
      killSim();
      process.off("exit", killSim);
      server.closeAllConnections?.();
      server.close(() => done());
    }));
  return { url, sim: config, close };
}

function parseArgs(argv) {
  const options = {};
  const usage = "usage: node web/serve.mjs [--sim PATH] [--port N] [--connectors N]";
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${usage}`);
      return v;
    };
    const number = (name) => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number\n${usage}`);
      return n;
    };
    switch (flag) {
      case "--sim":
        options.simPath = resolve(value());
        break;
      case "--port":
        options.port = number("--port");
        break;
      case "--connectors":
        options.connectors = number("--connectors");
        break;
      case "-h":
      case "--help":
        console.log(usage);
        process.exit(0);
      default:
        throw new Error(`unknown option ${argv[i]}\n${usage}`);
    }
  }
  return options;
}

async function main() {
  let options;
  try {
    options = { port: 8080, ...parseArgs(process.argv.slice(2)) };
  } catch (error) {
    console.error(error.message);
    process.exit(2);
  }
  let running;
  try {
    running = await start(options);
  } catch (error) {
    console.error(`error: ${error.message}`);
    process.exit(1);
  }
  console.log(`simulator at ${running.sim.baseUrl} (customer id ${running.sim.customerId})`);
  console.log(`console at ${running.url}`);
  const stop = async (signal) => {
    console.log(`\n${signal}: stopping`);
    await running.close();
    process.exit(0);
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
