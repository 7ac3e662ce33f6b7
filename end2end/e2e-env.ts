// The server the browser tests run against, read from the environment once for the config
// (which starts it) and the tests (which run its command line on the same database).
// Several runs can share the machine: each with its own E2E_PORT and BZPEER_DATABASE_NAME.

/** Where the server listens: `E2E_PORT` (default 3100). */
export const port = process.env.E2E_PORT ?? "3100";

export const baseURL = `http://127.0.0.1:${port}`;

/** The database `serve --fresh` recreates and the tests' imports write to. */
export const databaseName = process.env.BZPEER_DATABASE_NAME ?? "bzpeer_e2e";

/** The command that starts the server, run from the repository root (`E2E_SERVER` overrides). */
export const serverCommand = process.env.E2E_SERVER ?? "target/server-release/server serve --fresh";

/** The server binary, for its other subcommands (`import`, `user grant-moderator`). */
export const serverBinary = serverCommand.split(" ")[0];

/** A second server, as a clean clone's `make run` starts it: no data folder, so the synthetic
 * demo catalogue (`E2E_DEMO_PORT`, default 3101, on database `bzpeer_e2e_demo`). */
export const demoPort = process.env.E2E_DEMO_PORT ?? "3101";

export const demoURL = `http://127.0.0.1:${demoPort}`;

export const demoDatabaseName = process.env.BZPEER_DEMO_DATABASE_NAME ?? "bzpeer_e2e_demo";
