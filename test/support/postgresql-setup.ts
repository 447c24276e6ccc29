/**
 * vitest globalSetup of the "postgresql" project (vitest.config.ts): starts one throwaway
 * PostgreSQL for the run (or uses TEST_POSTGRESQL_URL, a superuser URL of a server you run),
 * migrates a template database once, and hands both to the tests (test/support/database.ts
 * makes each test's fresh database as a copy of the template). Everything is removed afterwards.
 */
import type { TestProject } from "vitest/node";
import pg from "pg";
import { migratePostgresql } from "../../core/db/migrate-postgresql.js";
import { createDatabase, dropDatabase, startTestPostgresql, type TestPostgresql } from "./postgresql.js";

declare module "vitest" {
  export interface ProvidedContext {
    postgresqlServerUrl: string;
    postgresqlTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.TEST_POSTGRESQL_URL;
  let server: TestPostgresql | null = null;
  if (!external) server = await startTestPostgresql();
  const serverUrl = external ?? server!.url;
  const template = `sotay_template_${process.pid}`;
  await dropDatabase(serverUrl, template);
  const pool = new pg.Pool({ connectionString: await createDatabase(serverUrl, template), max: 1 });
  try {
    await migratePostgresql(pool);
  } finally {
    await pool.end();
  }
  project.provide("postgresqlServerUrl", serverUrl);
  project.provide("postgresqlTemplate", template);
  return async () => {
    if (server) await server.stop();
    else await dropDatabase(serverUrl, template);
  };
}
