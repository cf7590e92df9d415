// The package as a user gets it: `npm pack` of web/pkg, installed by name
// into a fresh app (target/js-app), then built and run in every setup the
// README promises. Each run lists the simulator's connectors.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cp, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { chromium } from "playwright-core";

import { serveFiles } from "../serve.mjs";
import { startSim } from "../sim.mjs";

const run = promisify(execFile);
const web = fileURLToPath(new URL("..", import.meta.url));
const app = fileURLToPath(new URL("../../target/js-app/", import.meta.url));
const bin = (name) => join(web, "node_modules/.bin", name);
const CONNECTORS = 700;

/** Runs a command in the app; resolves to its stdout. */
async function sh(command, args, options = {}) {
  const { stdout } = await run(command, args, { cwd: app, maxBuffer: 1 << 26, ...options });
  return stdout;
}

let sim;
before(async () => {
  sim = await startSim({ connectors: CONNECTORS });
  await rm(app, { recursive: true, force: true });
  await mkdir(app, { recursive: true });
  await cp(new URL("app/", import.meta.url), app, { recursive: true });
  const packed = JSON.parse(await sh("npm", ["pack", "--json", "--pack-destination", app, join(web, "pkg")]));
  await cp(join(app, packed[0].filename), join(app, "zpa-wasm.tgz"));
  await sh("npm", ["install", "--offline", "--no-audit", "--no-fund"]);
});
after(() => sim?.close());

const env = () => ({ ...process.env, ZPA_BASE_URL: sim.baseUrl, ZPA_CUSTOMER_ID: sim.customerId, ZPA_TOKEN: sim.token });
const listed = { count: CONNECTORS, idType: "string", modifiedType: "number" };

describe("Node", () => {
  test("ESM, imported by name", async () => {
    assert.deepEqual(JSON.parse(await sh("node", ["node.js"], { env: env() })), listed);
  });

  test("CommonJS, required by name", async () => {
    assert.deepEqual(JSON.parse(await sh("node", ["node.cjs"], { env: env() })), { count: CONNECTORS });
  });

  test("TypeScript compiled to CommonJS (module nodenext, a commonjs package)", async () => {
    await sh(bin("tsc"), ["-p", "cjs-ts/tsconfig.json"]);
    const out = await sh("node", ["cjs-ts/out/main.js"], { env: env() });
    assert.deepEqual(JSON.parse(out), { count: CONNECTORS });
  });

  test("an esbuild bundle for Node", async () => {
    await sh(bin("esbuild"), ["node.js", "--bundle", "--platform=node", "--format=esm", "--outfile=dist/esbuild-node/app.mjs"]);
    assert.deepEqual(JSON.parse(await sh("node", ["dist/esbuild-node/app.mjs"], { env: env() })), listed);
  });

  test("a webpack bundle for Node", async () => {
    await sh(bin("webpack"), ["--mode", "production", "--target", "node", "--entry", "./node.js", "-o", "dist/webpack-node", "--output-filename", "app.cjs"]);
    assert.deepEqual(JSON.parse(await sh("node", ["dist/webpack-node/app.cjs"], { env: env() })), listed);
  });

  test("the two jobs by name: an approval from a segment's name, a connector written where it lives", async () => {
    // A simulator of its own: the job deletes a connector the others count.
    const own = await startSim({ connectors: 300 });
    try {
      const env = { ...process.env, ZPA_BASE_URL: own.baseUrl, ZPA_CUSTOMER_ID: own.customerId, ZPA_TOKEN: own.token };
      const out = JSON.parse(await sh("node", ["jobs.js"], { env }));
      assert.deepEqual(out, { approvedSegment: true, startTime: true, microtenant: "Finance", description: "rack 7", gone: true });
    } finally {
      own.close();
    }
  });

  test("without WebAssembly the import succeeds and init() rejects with a ZpaError", async () => {
    const out = await sh("node", ["--jitless", "node.js"], { env: env() });
    const result = JSON.parse(out);
    assert.equal(result.kind, "unavailable", out);
    assert.equal(result.isZpaError, true);
  });
});

describe("publishable", () => {
  test("the tarball holds the entries, their types, the README and the LICENSE", async () => {
    const listing = await sh("tar", ["-tzf", "zpa-wasm.tgz"]);
    const files = listing.trim().split("\n").map((f) => f.replace(/^package\//, "")).sort();
    assert.deepEqual(files, ["LICENSE", "README.md", "index.cjs", "index.d.cts", "index.d.ts", "index.js", "package.json"]);
  });

  test("publint --strict, arethetypeswrong and npm publish --dry-run are clean", async () => {
    await sh(bin("publint"), ["--strict", join(web, "pkg")]);
    await sh(bin("attw"), ["zpa-wasm.tgz"]);
    await sh("npm", ["publish", "--dry-run"], { cwd: join(web, "pkg") });
  });
});

describe("TypeScript declarations", () => {
  for (const config of ["tsconfig.es2022.json", "tsconfig.dom.json"]) {
    test(`tsc over an example calling every method (${config}, skipLibCheck false)`, async () => {
      await sh(bin("tsc"), ["-p", config]);
    });
  }

  test("TypeScript 4.9 reads them too", async () => {
    await sh("node", [join(web, "node_modules/typescript49/bin/tsc"), "-p", "tsconfig.es2022.json"]);
  });
});

describe("browsers (headless Chromium)", () => {
  let browser;
  before(async () => {
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  });
  after(() => browser?.close());

  /** Serves `dir` of the app (with `headers`), opens `page` and reads the app's result. */
  async function open(dir, page = "index.html", headers = {}) {
    const server = await serveFiles(join(app, dir), headers);
    const tab = await browser.newPage();
    const errors = [];
    tab.on("pageerror", (error) => errors.push(error.message));
    try {
      const query = new URLSearchParams({ baseUrl: sim.baseUrl, customerId: sim.customerId, token: sim.token });
      await tab.goto(`${server.url}${page}?${query}`);
      const result = await tab.waitForFunction(() => document.body?.dataset.result, null, { timeout: 30_000 });
      assert.deepEqual(errors, []);
      return JSON.parse(await result.jsonValue());
    } finally {
      await tab.close();
      await server.close();
    }
  }

  /** Writes a page that loads a bundle (a module, or a classic script). */
  async function page(dir, script, module = true) {
    const type = module ? ' type="module"' : "";
    await writeFile(join(app, dir, "index.html"), `<!doctype html><meta charset="utf-8"><body><script${type} src="./${script}"></script></body>`);
  }

  test("a plain <script type=module> with an import map, no bundler", async () => {
    assert.deepEqual(await open(".", "plain.html"), listed);
  });

  test("esbuild (--bundle --format=esm --platform=browser)", async () => {
    await sh(bin("esbuild"), ["browser.js", "--bundle", "--format=esm", "--platform=browser", "--outfile=dist/esbuild/app.js"]);
    await page("dist/esbuild", "app.js");
    assert.deepEqual(await open("dist/esbuild"), listed);
  });

  test("webpack 5, default configuration", async () => {
    await sh(bin("webpack"), ["--mode", "production", "--entry", "./browser.js", "-o", "dist/webpack"]);
    await page("dist/webpack", "main.js", false);
    assert.deepEqual(await open("dist/webpack"), listed);
  });

  for (const [name, vite] of [
    ["Vite 5", join(web, "node_modules/vite5/bin/vite.js")],
    ["Vite (latest)", join(web, "node_modules/vite/bin/vite.js")],
  ]) {
    test(`${name}, default build`, async () => {
      const outDir = `dist/${name.replace(/\W+/g, "-")}`;
      await sh("node", [vite, "build", "--logLevel", "warn", "--outDir", outDir]);
      assert.ok((await readdir(join(app, outDir, "assets"))).some((f) => f.endsWith(".js")));
      assert.deepEqual(await open(outDir), listed);
    });
  }

  test("a Content-Security-Policy without wasm-unsafe-eval: init() rejects, the page catches it", async () => {
    const result = await open("dist/esbuild", "index.html", { "content-security-policy": "script-src 'self'" });
    assert.equal(result.kind, "unavailable");
    assert.equal(result.isZpaError, true);
  });
});
