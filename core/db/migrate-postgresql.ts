/**
 * Applies the committed PostgreSQL migrations (prisma/postgresql/migrations/<name>/migration.sql)
 * in name order, each once, recording them in `_prisma_migrations` as `prisma migrate deploy`
 * does (same table, sha256 checksum), like core/db/migrate.ts for SQLite.
 *
 * N instances starting together on one database must not race: the whole run holds
 * PostgreSQL's advisory lock 72707369, the one `prisma migrate deploy` takes too, so the
 * first instance migrates and the others wait, then find nothing left to do. Each
 * migration runs in its own transaction (PostgreSQL's DDL is transactional: a failing
 * migration leaves nothing half-applied).
 *
 *   const { applied } = await migratePostgresql(pool);
 */
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { PROJECT_ROOT } from "../config.js";

export const POSTGRESQL_MIGRATIONS_DIR = path.join(PROJECT_ROOT, "prisma", "postgresql", "migrations");

/** Prisma Migrate's own advisory lock key: our migrator and the Prisma CLI exclude each other. */
export const MIGRATION_LOCK_KEY = 72707369;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface PostgresqlMigrationResult {
  applied: string[];
}

/** The migration folders in the order they apply. */
export function migrationNames(dir = POSTGRESQL_MIGRATIONS_DIR): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort();
}

/** Runs every migration not yet recorded, under the migration lock. */
export async function migratePostgresql(pool: pg.Pool, dir = POSTGRESQL_MIGRATIONS_DIR): Promise<PostgresqlMigrationResult> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      return await applyAll(client, dir);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

async function applyAll(client: pg.PoolClient, dir: string): Promise<PostgresqlMigrationResult> {
  await client.query(CREATE_TABLE);
  const done = new Map(
    (
      await client.query<{ migration_name: string; checksum: string }>(
        `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL`,
      )
    ).rows.map((r) => [r.migration_name, r.checksum]),
  );
  const applied: string[] = [];
  for (const name of migrationNames(dir)) {
    const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
    const checksum = createHash("sha256").update(sql).digest("hex");
    const recorded = done.get(name);
    if (recorded !== undefined) {
      if (recorded !== checksum) {
        throw new Error(`PostgreSQL migration ${name} was changed after it was applied to this database; restore the file.`);
      }
      continue;
    }
    const started = new Date();
    await client.query("BEGIN");
    try {
      await client.query(sql);
      await client.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, $4, 1)`,
        [randomUUID(), checksum, name, started],
      );
      await client.query("COMMIT");
    } catch (err) {
      await client.query("ROLLBACK");
      throw new Error(`PostgreSQL migration ${name} failed: ${(err as Error).message}`, { cause: err });
    }
    applied.push(name);
  }
  return { applied };
}
