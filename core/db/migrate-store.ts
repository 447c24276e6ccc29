/**
 * Moves a SQLite store to an empty PostgreSQL database (`npm run admin -- migrate-store --from
 * <sqlite url> --to <postgresql url>`): every table the two have in common, row for row, ids kept.
 *
 * - The source is first brought to the current schema (the SQLite migrations, as any start would),
 *   the target too (the PostgreSQL migrations), so both have the same tables and columns.
 * - A target with any row in any table is refused, except the migration bookkeeping and the
 *   KnowledgeVersion row its migration creates (replaced by the source's): nothing is merged.
 * - Tables are copied parents first (the foreign keys' order), each in primary-key order, values
 *   converted to the column's PostgreSQL type: 0/1 to booleans, SQLite's date texts (or epoch
 *   milliseconds) to timestamps. The knowledge triggers are off during the copy: the counter is the
 *   source's.
 * - Every id sequence is set past the largest id copied, so new rows never collide.
 * - Row counts are compared per table before the one transaction commits; any difference (or
 *   error) rolls everything back, leaving the target empty.
 * - Only SQLite's own search indexes (FTS5 tables and their shadow tables) are not copied: on
 *   PostgreSQL each instance builds its search copy from the database.
 *
 *   const report = await migrateStore({ from: "file:./data/sotay.db", to: "postgresql://…/sotay" });
 *   report.tables  // [{ table: "Member", rows: 1200 }, ...]
 */
import fs from "node:fs";
import Database from "better-sqlite3";
import type pg from "pg";
import { engineOf, redactUrl } from "./engine.js";
import { migrate } from "./migrate.js";
import { migratePostgresql } from "./migrate-postgresql.js";
import { createPool, sqliteFileFromUrl } from "./store.js";

export interface MigrateStoreOptions {
  /** A SQLite `file:` URL (the store to copy). */
  from: string;
  /** A PostgreSQL URL (an empty database; migrated here). */
  to: string;
}

export interface MigrateStoreReport {
  /** Rows copied per table (equal on both sides), in the order copied. */
  tables: { table: string; rows: number }[];
  /** Id sequences moved past the largest id: table, column, the next id. */
  sequences: { table: string; column: string; next: number }[];
  /** Source tables with no counterpart on PostgreSQL (SQLite's search indexes). */
  skipped: string[];
}

/** The target already holds data: nothing was copied. */
export class TargetNotEmptyError extends Error {
  constructor(readonly tables: string[]) {
    super(`the target database is not empty (rows in ${tables.join(", ")}); migrate-store copies into an empty database only`);
  }
}

/** Tables that may hold rows in an "empty" target: bookkeeping, and the counter the migrations create. */
const BOOKKEEPING = new Set(["_prisma_migrations"]);
const SEEDED = new Set(["KnowledgeVersion"]);

/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters per statement. */
const MAX_PARAMETERS = 30_000;
const MAX_ROWS_PER_INSERT = 1_000;

interface Column {
  name: string;
  type: string;
  nullable: boolean;
}

export async function migrateStore(options: MigrateStoreOptions): Promise<MigrateStoreReport> {
  if (engineOf(options.from) !== "sqlite") throw new Error(`--from must be a SQLite "file:" URL (got ${redactUrl(options.from)})`);
  if (engineOf(options.to) !== "postgresql") throw new Error(`--to must be a PostgreSQL URL (got ${redactUrl(options.to)})`);
  const file = sqliteFileFromUrl(options.from);
  if (!fs.existsSync(file)) throw new Error(`no SQLite store at ${file}`);

  const sqlite = new Database(file);
  const pool = createPool(options.to, 1);
  try {
    sqlite.pragma("busy_timeout = 5000");
    migrate(sqlite);
    await migratePostgresql(pool);
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      try {
        const report = await copyAll(sqlite, client);
        await client.query("COMMIT");
        return report;
      } catch (err) {
        await client.query("ROLLBACK");
        throw err;
      }
    } finally {
      client.release();
    }
  } finally {
    sqlite.close();
    await pool.end();
  }
}

async function copyAll(sqlite: Database.Database, client: pg.PoolClient): Promise<MigrateStoreReport> {
  const targetTables = await tablesInCopyOrder(client);
  const sourceTables = new Set(
    sqlite
      .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
      .all()
      .map((r) => r.name),
  );
  // No one else writes to the target while it is filled: a second run waits here, then finds rows.
  for (const table of targetTables) await client.query(`LOCK TABLE ${q(table)} IN EXCLUSIVE MODE`);
  const nonEmpty: string[] = [];
  for (const table of targetTables) {
    if (BOOKKEEPING.has(table) || SEEDED.has(table)) continue;
    if ((await client.query(`SELECT 1 FROM ${q(table)} LIMIT 1`)).rowCount) nonEmpty.push(table);
  }
  if (nonEmpty.length) throw new TargetNotEmptyError(nonEmpty);

  const copied = targetTables.filter((t) => !BOOKKEEPING.has(t) && sourceTables.has(t));
  const report: MigrateStoreReport = {
    tables: [],
    sequences: [],
    skipped: [...sourceTables].filter((t) => !BOOKKEEPING.has(t) && !targetTables.includes(t)).sort(),
  };
  for (const table of copied) await client.query(`ALTER TABLE ${q(table)} DISABLE TRIGGER USER`);
  for (const table of copied) {
    if (SEEDED.has(table)) await client.query(`DELETE FROM ${q(table)}`);
    const rows = await copyTable(sqlite, client, table);
    const target = Number((await client.query<{ n: number }>(`SELECT count(*) AS n FROM ${q(table)}`)).rows[0]!.n);
    if (target !== rows) throw new Error(`${table}: ${rows} rows in the source but ${target} in the target after the copy`);
    report.tables.push({ table, rows });
  }
  for (const table of copied) await client.query(`ALTER TABLE ${q(table)} ENABLE TRIGGER USER`);
  report.sequences = await moveSequences(client, copied);
  return report;
}

/** The target's tables, each after the tables its foreign keys point to. */
async function tablesInCopyOrder(client: pg.PoolClient): Promise<string[]> {
  const tables = (
    await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    )
  ).rows.map((r) => r.name);
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set()]));
  const fks = await client.query<{ child: string; parent: string }>(
    `SELECT cl.relname AS child, pa.relname AS parent FROM pg_constraint c
       JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_class pa ON pa.oid = c.confrelid
       JOIN pg_namespace n ON n.oid = cl.relnamespace
     WHERE c.contype = 'f' AND n.nspname = current_schema()`,
  );
  for (const { child, parent } of fks.rows) if (child !== parent) parents.get(child)?.add(parent);
  const ordered: string[] = [];
  const done = new Set<string>();
  const visit = (table: string, path: Set<string>) => {
    if (done.has(table) || path.has(table)) return;
    path.add(table);
    for (const parent of parents.get(table) ?? []) visit(parent, path);
    path.delete(table);
    done.add(table);
    ordered.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return ordered;
}

async function targetColumns(client: pg.PoolClient, table: string): Promise<Column[]> {
  const { rows } = await client.query<{ name: string; type: string; nullable: string }>(
    `SELECT column_name AS name, data_type AS type, is_nullable AS nullable FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => ({ name: r.name, type: r.type, nullable: r.nullable === "YES" }));
}

/** Copies one table in primary-key order; returns how many rows. */
async function copyTable(sqlite: Database.Database, client: pg.PoolClient, table: string): Promise<number> {
  const sourceInfo = sqlite.prepare<[], { name: string; pk: number }>(`PRAGMA table_info(${q(table)})`).all();
  const sourceNames = new Set(sourceInfo.map((c) => c.name));
  const target = await targetColumns(client, table);
  const missing = target.filter((c) => !sourceNames.has(c.name) && !c.nullable);
  if (missing.length) throw new Error(`${table}: the source has no column ${missing.map((c) => c.name).join(", ")}`);
  const columns = target.filter((c) => sourceNames.has(c.name));
  const key = sourceInfo
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => q(c.name));
  const select = sqlite.prepare(`SELECT ${columns.map((c) => q(c.name)).join(", ")} FROM ${q(table)}${key.length ? ` ORDER BY ${key.join(", ")}` : ""}`).raw();
  const perInsert = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS / columns.length)));
  const insertInto = `INSERT INTO ${q(table)} (${columns.map((c) => q(c.name)).join(", ")}) VALUES `;
  let batch: unknown[][] = [];
  let count = 0;
  const flush = async () => {
    if (!batch.length) return;
    const values: unknown[] = [];
    const tuples = batch.map((row) => `(${row.map((v, i) => (values.push(toPostgresql(v, columns[i]!, table)), `$${values.length}`)).join(", ")})`);
    await client.query(insertInto + tuples.join(", "), values);
    count += batch.length;
    batch = [];
  };
  for (const row of select.iterate() as IterableIterator<unknown[]>) {
    batch.push(row);
    if (batch.length >= perInsert) await flush();
  }
  await flush();
  return count;
}

/** A SQLite value as the PostgreSQL column's type expects it. */
export function toPostgresql(value: unknown, column: Pick<Column, "name" | "type">, table = "?"): unknown {
  if (value === null || value === undefined) return null;
  if (column.type === "boolean") return value === 1 || value === 1n || value === true || value === "1" || value === "true";
  if (column.type.startsWith("timestamp")) return timestampText(value, `${table}.${column.name}`);
  if (typeof value === "bigint") return value.toString();
  return value;
}

/**
 * SQLite keeps Prisma's DateTime as ISO text ("…+00:00"), SQL defaults as "YYYY-MM-DD HH:MM:SS"
 * (UTC), and older rows possibly as epoch milliseconds: all become ISO text in UTC, which
 * PostgreSQL reads into a timestamp without a zone as that UTC wall time.
 */
function timestampText(value: unknown, where: string): string {
  let ms: number;
  if (typeof value === "number" || typeof value === "bigint") ms = Number(value);
  else if (typeof value === "string") {
    const iso = value.includes("T") ? value : value.replace(" ", "T");
    ms = Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`);
  } else ms = NaN;
  if (!Number.isFinite(ms)) throw new Error(`${where}: "${String(value)}" is not a date`);
  return new Date(ms).toISOString();
}

/** Sets every serial column's sequence past the largest value copied. */
async function moveSequences(client: pg.PoolClient, tables: string[]): Promise<MigrateStoreReport["sequences"]> {
  const moved: MigrateStoreReport["sequences"] = [];
  for (const table of tables) {
    const { rows } = await client.query<{ column: string; sequence: string }>(
      `SELECT column_name AS column, pg_get_serial_sequence(quote_ident(table_name), column_name) AS sequence
       FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_default LIKE 'nextval(%'`,
      [table],
    );
    for (const { column, sequence } of rows) {
      if (!sequence) continue;
      const max = (await client.query<{ max: number | null }>(`SELECT max(${q(column)}) AS max FROM ${q(table)}`)).rows[0]!.max;
      // setval(seq, n, true): the next id is n + 1; an empty table starts at 1.
      await client.query(`SELECT setval($1, $2, $3)`, [sequence, max ?? 1, max !== null]);
      moved.push({ table, column, next: (max ?? 0) + 1 });
    }
  }
  return moved;
}

/** A quoted identifier. */
function q(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
