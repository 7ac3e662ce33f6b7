// Browser tests in Debian's Chromium (never a downloaded browser), against the release build,
// started here on a fresh database and polled until it answers.
import { defineConfig } from "@playwright/test";
// Debian's Chromium and its flags, shared with the benchmarks.
import chromium from "./chromium.json";
import { baseURL, databaseName, demoDatabaseName, demoPort, port, serverCommand } from "./e2e-env";

/** The release server on `listen`'s port, on a fresh database, with `env` added. */
function server(listen: string, env: Record<string, string>) {
  return {
    command: serverCommand,
    cwd: "..",
    url: `http://127.0.0.1:${listen}/healthz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe" as const,
    stderr: "pipe" as const,
    gracefulShutdown: { signal: "SIGTERM" as const, timeout: 10_000 },
    env: { LEPTOS_SITE_ADDR: `127.0.0.1:${listen}`, LEPTOS_SITE_ROOT: "target/site", RUST_LOG: "warn", ...env },
  };
}

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  // Every test makes the records it changes and reads no count another test moves
  // (tests/support.ts), so tests run in parallel, each on its own, in any order. The order is
  // shuffled from the command line (`--shuffle [seed]`, as `make browser-tests` and `npm test`
  // run it): the seed is printed in the first line, and `--shuffle <seed>` replays the order.
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "test-results/results.json" }]],
  use: {
    baseURL,
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? chromium.executablePath,
      args: chromium.args,
    },
  },
  projects: [{ name: "chromium" }],
  webServer: [
    server(port, {
      BZPEER_DATABASE_NAME: databaseName,
      // The demo data folder is BZPEER_DATA_DIR from the environment (default ../shared/data);
      // the tests need only the seed committed here, imported with or without it.
      // Every page gets a client address of its own (X-Forwarded-For, tests/support.ts), so the
      // per-address sign-up and log-in limits count one test's requests only.
      BZPEER_TRUST_PROXY: "1",
      // The specs read verification links from /dev/outbox (served on loopback only).
      BZPEER_DEV_OUTBOX: "1",
    }),
    // A clean clone's demo: no data folder beside it, so a synthetic catalogue (demo.spec.ts).
    server(demoPort, { BZPEER_DATABASE_NAME: demoDatabaseName, BZPEER_DATA_DIR: "/nonexistent/bzpeer-data" }),
  ],
});
