/**
 * Opens the product's store on the engine DATABASE_URL selects (core/db/engine.ts), applies
 * the committed migrations, and returns the Prisma client for the domain data:
 *
 * - SQLite (the default, a `file:` URL): one file, created with DATA_DIR when missing; the
 *   Prisma client uses the better-sqlite3 adapter, and `sqlite` is a raw better-sqlite3 handle
 *   on the same file (FTS5 queries and bulk writes on the search hot path, which Prisma cannot
 *   express or would slow down). Both connections use WAL, so readers never wait for a writer.
 * - PostgreSQL (`postgresql://…`): one database shared by any number of server instances. The
 *   Prisma client uses the pg adapter over `pg`, a pg.Pool that the engine-specific parts also
 *   use for what Prisma cannot say (FOR UPDATE SKIP LOCKED, advisory locks, LISTEN/NOTIFY).
 *   `sqlite` is then this instance's local knowledge and search copy, DATA_DIR/knowledge.db
 *   (the same SQLite migrations), which is kept in step with the database.
 *
 * In both cases `store.sqlite` means the knowledge base and its search indexes only; every other
 * part goes through `prisma`, or through an engine-neutral interface with one implementation per
 * engine (inbox, outbox, conversation state...).
 *
 *   const store = await openStore(config, { logger });
 *   await store.prisma.member.findMany();
 *   store.sqlite.prepare("SELECT ... FROM Passage").all();
 *   if (store.engine === "postgresql") await store.pg.query("SELECT 1");
 *   await store.useServerSettings(); // the server: no synchronous wait on a lock
 *   await store.close();
 *
 *   const reader = openReadOnlyStore(config); // a search thread beside the server
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { PrismaClient } from "@prisma/client";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { PrismaClient as PostgresqlPrismaClient } from "../../node_modules/.prisma-postgresql/client/index.js";
import type { Config } from "../config.js";
import { createCliLogger, type Logger } from "../logger.js";
import { engineOf, redactUrl, type Engine } from "./engine.js";
import { migrate } from "./migrate.js";
import { migratePostgresql } from "./migrate-postgresql.js";
import { SERVER_BUSY_TIMEOUT_MS } from "./busy.js";

interface StoreBase {
  engine: Engine;
  /** The domain data, on either engine (the same model API). */
  prisma: PrismaClient;
  /** The knowledge base and its search indexes (FTS5, vectors): see the module comment. */
  sqlite: Database.Database;
  /** Absolute path of that SQLite file. */
  file: string;
  /**
   * Settings for a long-running server. On SQLite, on both connections: a synchronous call
   * waits at most SERVER_BUSY_TIMEOUT_MS for a lock (callers retry asynchronously, see busy.ts)
   * instead of better-sqlite3's 5 s that would freeze the event loop, and commits are not
   * fsynced one by one (synchronous=NORMAL: with WAL a crash of the process loses no commit;
   * the inbox makes acknowledged updates durable itself, see core/inbox). Command-line tools
   * keep the defaults (they may wait, and every commit is synced).
   */
  useServerSettings(): Promise<void>;
  close(): Promise<void>;
}

export interface SqliteStore extends StoreBase {
  engine: "sqlite";
}

export interface PostgresqlStore extends StoreBase {
  engine: "postgresql";
  /** The database's connection pool (Prisma's too): for SKIP LOCKED claims, advisory locks, LISTEN/NOTIFY. */
  pg: pg.Pool;
}

export type Store = SqliteStore | PostgresqlStore;

export type StoreConfig = Pick<Config, "DATA_DIR" | "DATABASE_URL" | "INDEX_DIR"> & Partial<Pick<Config, "LOG_LEVEL">>;

export interface OpenStoreOptions {
  /** Where the one line naming the engine goes (default: stderr at LOG_LEVEL). */
  logger?: Logger;
  /** Connections in the PostgreSQL pool (default 10). */
  poolSize?: number;
}

/** Prisma's SQLite driver adapter stores DateTime as ISO text with "+00:00"; raw SQL must match it. */
export function sqliteTime(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

/**
 * A Date as a raw PostgreSQL query parameter for Prisma's DateTime (`timestamp(3)`, UTC without a
 * zone): ISO text, whose "Z" PostgreSQL ignores for that type. A Date itself would be sent by pg in
 * the process's local time, which the column would keep as if it were UTC.
 */
export function postgresqlTime(date: Date): string {
  return date.toISOString();
}

/** Turns `file:./x.db` or `file:/abs/x.db` into an absolute path (relative to the cwd, as Prisma does). */
export function sqliteFileFromUrl(url: string): string {
  if (!url.startsWith("file:")) {
    throw new Error(
      `DATABASE_URL must be a SQLite "file:" URL or a PostgreSQL "postgresql://" URL (got "${url.split(":")[0]}:...")`,
    );
  }
  const p = url.slice("file:".length).split("?")[0]!;
  return path.resolve(p);
}

/** The SQLite file holding the knowledge base and search indexes: the store itself, or on PostgreSQL DATA_DIR/knowledge.db. */
export function knowledgeFile(config: Pick<Config, "DATA_DIR" | "DATABASE_URL">): string {
  return engineOf(config.DATABASE_URL) === "postgresql" ? path.join(path.resolve(config.DATA_DIR), "knowledge.db") : sqliteFileFromUrl(config.DATABASE_URL);
}

export async function openStore(config: StoreConfig, options: OpenStoreOptions = {}): Promise<Store> {
  const engine = engineOf(config.DATABASE_URL);
  const file = knowledgeFile(config);
  fs.mkdirSync(config.DATA_DIR, { recursive: true });
  fs.mkdirSync(config.INDEX_DIR, { recursive: true });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const logger = options.logger ?? createCliLogger({ LOG_LEVEL: config.LOG_LEVEL ?? "info" });

  const sqlite = openSqlite(file);
  if (engine === "sqlite") {
    const adapter = new PrismaBetterSQLite3({ url: `file:${file}` });
    const prisma = new PrismaClient({ adapter });
    try {
      await prisma.$connect();
    } catch (err) {
      sqlite.close();
      throw err;
    }
    logger.info({ engine, file }, `store: SQLite at ${file}`);
    return {
      engine,
      prisma,
      sqlite,
      file,
      async useServerSettings() {
        for (const pragma of [`busy_timeout = ${SERVER_BUSY_TIMEOUT_MS}`, "synchronous = NORMAL"]) {
          sqlite.pragma(pragma);
          await prisma.$queryRawUnsafe(`PRAGMA ${pragma}`);
        }
      },
      async close() {
        await prisma.$disconnect();
        sqlite.close();
      },
    };
  }

  const pool = createPool(config.DATABASE_URL, options.poolSize ?? 10, logger);
  try {
    const { applied } = await migratePostgresql(pool);
    if (applied.length) logger.info({ applied }, "store: PostgreSQL migrations applied");
  } catch (err) {
    sqlite.close();
    await pool.end();
    throw new Error(`Cannot open the PostgreSQL store at ${redactUrl(config.DATABASE_URL)}: ${(err as Error).message}`, { cause: err });
  }
  // The PostgreSQL client is generated from the derived schema (prisma/postgresql/schema.prisma): the
  // same models, so the same model API as @prisma/client's, but a class of its own. Domain code is
  // typed against @prisma/client's PrismaClient; this cast is the one place the two meet.
  const prisma = new (loadPostgresqlClient())({ adapter: new PrismaPg(pool) }) as unknown as PrismaClient;
  await prisma.$connect();
  logger.info({ engine, database: redactUrl(config.DATABASE_URL), knowledge: file }, `store: PostgreSQL at ${redactUrl(config.DATABASE_URL)}; local knowledge copy ${file}`);
  return {
    engine,
    prisma,
    pg: pool,
    sqlite,
    file,
    async useServerSettings() {
      for (const pragma of [`busy_timeout = ${SERVER_BUSY_TIMEOUT_MS}`, "synchronous = NORMAL"]) sqlite.pragma(pragma);
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
      sqlite.close();
    },
  };
}

/** A migrated SQLite file in WAL mode (the store, or on PostgreSQL the local knowledge copy). */
function openSqlite(file: string): Database.Database {
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  migrate(sqlite);
  return sqlite;
}

/**
 * The pool behind Prisma and the raw queries. Raw queries get `timestamp` columns (Prisma's
 * DateTime, stored as UTC without a zone) as UTC Dates and bigints as numbers; Prisma's adapter
 * sets its own parsers per query, so these do not change what Prisma reads.
 */
export function createPool(url: string, max: number, logger?: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: "sotay",
    types: {
      getTypeParser: ((oid: number, format?: string) => {
        if (oid === pg.types.builtins.TIMESTAMP) return (v: string) => new Date(`${v.replace(" ", "T")}Z`);
        if (oid === pg.types.builtins.INT8) return (v: string) => Number(v);
        return pg.types.getTypeParser(oid, format as "text");
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection that breaks (the database restarted) must not end the process; the next query reconnects.
  pool.on("error", (err) => logger?.warn({ err: err.message }, "store: an idle PostgreSQL connection failed"));
  return pool;
}

let postgresqlClient: typeof PostgresqlPrismaClient | undefined;

function loadPostgresqlClient(): typeof PostgresqlPrismaClient {
  if (postgresqlClient) return postgresqlClient;
  try {
    const require = createRequire(import.meta.url);
    postgresqlClient = (require("../../node_modules/.prisma-postgresql/client/index.js") as { PrismaClient: typeof PostgresqlPrismaClient }).PrismaClient;
    return postgresqlClient;
  } catch (err) {
    throw new Error(`The PostgreSQL Prisma client is missing: run \`npm run prisma:generate\` (${(err as Error).message})`, { cause: err });
  }
}

/** A read-only connection to an existing, migrated store: what a search thread needs (no Prisma, no migrations). */
export interface ReadOnlyStore {
  sqlite: Database.Database;
  file: string;
  close(): void;
}

/**
 * Opens the knowledge base's SQLite file read-only. In WAL mode a reader never waits for a
 * writer; a lock that still stops it (a checkpoint restarting the log) is waited out for up to
 * `busyTimeoutMs`: the wait blocks only this connection's thread, never the server's.
 */
export function openReadOnlyStore(config: Pick<Config, "DATA_DIR" | "DATABASE_URL">, busyTimeoutMs = 1000): ReadOnlyStore {
  const file = knowledgeFile(config);
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
  return { sqlite, file, close: () => sqlite.close() };
}
