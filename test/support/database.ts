/**
 * Which engine this test run uses, and a fresh database for it. vitest.config.ts runs the
 * store and end-to-end tests twice: in the "sqlite" project (the default store, a file in the
 * test's DATA_DIR) and in the "postgresql" project (TEST_DATABASE_ENGINE=postgresql), where
 * each test store gets its own database, a copy of the run's migrated template.
 *
 *   const env = { DATA_DIR: dir, ...(await testDatabaseEnv()) };  // {} on SQLite, { DATABASE_URL } on PostgreSQL
 */
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import type { Engine } from "../../core/db/engine.js";
import { createDatabase } from "./postgresql.js";

export const TEST_ENGINE: Engine = process.env.TEST_DATABASE_ENGINE === "postgresql" ? "postgresql" : "sqlite";

/** A new, migrated PostgreSQL database (its URL); only in the "postgresql" project. */
export async function freshPostgresqlDatabase(): Promise<string> {
  const server = inject("postgresqlServerUrl");
  const template = inject("postgresqlTemplate");
  if (!server || !template) throw new Error("no test PostgreSQL: run this test in vitest's postgresql project (test/support/postgresql-setup.ts)");
  return createDatabase(server, `t_${process.pid}_${randomBytes(5).toString("hex")}`, template);
}

/** The environment that points a test store at a fresh database of this run's engine. */
export async function testDatabaseEnv(): Promise<Record<string, string>> {
  return TEST_ENGINE === "postgresql" ? { DATABASE_URL: await freshPostgresqlDatabase() } : {};
}
