// Starts a release server for a benchmark (size.mjs, tti.mjs) on a fresh database, in the
// environment playwright.config.ts gives the e2e server, polls /healthz, and stops it. The binary
// and site root are arguments, so the same scripts measure any build.
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";

/** The options both benchmarks take: --server, --site, --port (see the Makefile). */
export function serverArgs(defaultPort) {
  const { values } = parseArgs({
    options: {
      server: { type: "string", default: "target/server-release/server" },
      site: { type: "string", default: "target/site" },
      port: { type: "string", default: String(defaultPort) },
      out: { type: "string" },
      runs: { type: "string", default: "5" },
    },
  });
  return values;
}

export async function startServer({ server, site, port, database }) {
  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
    LEPTOS_SITE_ROOT: site,
    BZPEER_DATABASE_NAME: database,
    BZPEER_DEV_OUTBOX: "1",
    BZPEER_TRUST_PROXY: "1",
    RUST_LOG: process.env.RUST_LOG ?? "warn",
  };
  // `--fresh` drops the database it is given: only ever the local one named above.
  delete env.DATABASE_URL;
  const child = spawn(server, ["serve", "--fresh"], { env, stdio: ["ignore", "inherit", "inherit"] });
  let failed = null;
  child.once("error", (error) => (failed = error));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    if (failed || child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  process.once("SIGINT", () => stop().then(() => process.exit(130)));
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (failed) throw new Error(`cannot start ${server}: ${failed.message}`);
    if (child.exitCode !== null) throw new Error(`${server} exited with ${child.exitCode} before answering`);
    const healthy = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (healthy) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await stop();
  throw new Error(`${server} did not answer ${url}/healthz within 180 s`);
}
