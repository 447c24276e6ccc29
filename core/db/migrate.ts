/**
 * Applies the committed Prisma migrations (prisma/migrations/<name>/migration.sql) to a
 * SQLite database, recording them in `_prisma_migrations` exactly as `prisma migrate
 * deploy` does (same table, sha256 checksum), so the Prisma CLI agrees with what ran.
 * Why not spawn the CLI: it is a dev dependency and costs ~2.5 s per start; every
 * command that opens the store (server, ingest, ask, admin) migrates by itself.
 */
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import { PROJECT_ROOT } from "../config.js";

export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, "prisma", "migrations");

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

export interface MigrationResult {
  applied: string[];
}

/** Runs every migration not yet recorded, each in its own transaction. */
export function migrate(db: Database.Database, dir = MIGRATIONS_DIR): MigrationResult {
  db.exec(CREATE_TABLE);
  const done = new Map(
    (db.prepare(`SELECT migration_name, checksum FROM _prisma_migrations WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL`).all() as {
      migration_name: string;
      checksum: string;
    }[]).map((r) => [r.migration_name, r.checksum]),
  );
  const names = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort();
  const applied: string[] = [];
  for (const name of names) {
    const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
    const checksum = createHash("sha256").update(sql).digest("hex");
    const recorded = done.get(name);
    if (recorded !== undefined) {
      if (recorded !== checksum) {
        throw new Error(`Migration ${name} was changed after it was applied to this database; restore the file or start from a fresh DATA_DIR.`);
      }
      continue;
    }
    const started = new Date().toISOString();
    db.transaction(() => {
      db.exec(sql);
      db.prepare(
        `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)`,
      ).run(randomUUID(), checksum, new Date().toISOString(), name, started);
    })();
    applied.push(name);
  }
  return { applied };
}
