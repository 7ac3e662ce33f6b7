// Browser tests in Debian's Chromium (never a downloaded browser), against the release build,
// started here on a fresh database and polled until it answers.
import { defineConfig } from "@playwright/test";
// Debian's Chromium and its flags, shared with the benchmarks.
import chromium from "./chromium.json";

const port = process.env.E2E_PORT ?? "3100";
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  // One worker: the account tests follow the reference profile, whose follower count the
  // profile tests read.
  fullyParallel: false,
  workers: 1,
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
  webServer: {
    command: process.env.E2E_SERVER ?? "target/server-release/server serve --fresh",
    cwd: "..",
    url: `${baseURL}/healthz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: "target/site",
      BZPEER_DATABASE_NAME: process.env.BZPEER_DATABASE_NAME ?? "bzpeer_e2e",
      RUST_LOG: "warn",
      // Specs with several people give each a client address (X-Forwarded-For), so the
      // per-address sign-up and log-in limits see different machines.
      BZPEER_TRUST_PROXY: "1",
      // The specs read verification links from /dev/outbox (served on loopback only).
      BZPEER_DEV_OUTBOX: "1",
    },
  },
});
