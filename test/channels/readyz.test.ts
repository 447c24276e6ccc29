/**
 * /readyz reports the database's health on both engines: a quick query with a short deadline;
 * 503 with the reason (and a warn line in the log) while the database does not answer, ready
 * again once it does. (A SQLite database locked by another process: locked-database.test.ts.)
 */
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { TEST_ENGINE } from "../support/database.js";
import { startHarness, type Harness } from "./support/harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Runs SQL as the test server's superuser on its `postgres` database. */
async function asSuperuser(databaseUrl: string, sql: string): Promise<void> {
  const url = new URL(databaseUrl);
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe(`/readyz (${TEST_ENGINE})`, () => {
  it("is ready when the database answers", async () => {
    h = await startHarness();
    const res = await h.app.inject({ method: "GET", url: "/readyz" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ready" });
  });

  it.runIf(TEST_ENGINE === "postgresql")("answers 503 with the reason while PostgreSQL refuses connections, and is ready again after", async () => {
    const lines: string[] = [];
    h = await startHarness({ logLines: lines, env: { LOG_LEVEL: "warn" } });
    const url = h.store.engine === "postgresql" ? (h.store.pg.options.connectionString as string) : "";
    const name = new URL(url).pathname.slice(1);
    // No new connections, and the server's own are ended: its next query cannot reach the database.
    await asSuperuser(url, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    await asSuperuser(url, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`);
    try {
      const res = await h.app.inject({ method: "GET", url: "/readyz" });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: "database unavailable" });
      expect(res.json().reason).toMatch(/^postgresql: .+/);
      expect(lines.some((l) => l.includes("readyz: the database is not healthy"))).toBe(true);
      expect((await h.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    } finally {
      await asSuperuser(url, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    }
    expect((await h.app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(200);
  });
});
