/**
 * Opens the product's store: creates DATA_DIR and the SQLite file when missing,
 * applies migrations, and returns both the Prisma client (domain data) and a raw
 * better-sqlite3 handle (FTS5 queries and bulk writes on the search hot path, which
 * Prisma cannot express or would slow down). Both connections use WAL, so readers
 * never wait for a writer.
 *
 *   const store = await openStore(config);
 *   await store.prisma.member.findMany();
 *   store.sqlite.prepare("SELECT ...").all();
 *   await store.useServerSettings(); // the server: no synchronous wait on a lock
 *   await store.close();
 *
 *   const reader = openReadOnlyStore(config); // a search thread beside the server
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { PrismaClient } from "@prisma/client";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type { Config } from "../config.js";
import { migrate } from "./migrate.js";
import { SERVER_BUSY_TIMEOUT_MS } from "./busy.js";

export interface Store {
  prisma: PrismaClient;
  sqlite: Database.Database;
  /** Absolute path of the SQLite file. */
  file: string;
  /**
   * Settings for a long-running server, on both connections: a synchronous call waits at
   * most SERVER_BUSY_TIMEOUT_MS for a lock (callers retry asynchronously, see busy.ts)
   * instead of better-sqlite3's 5 s that would freeze the event loop, and commits are not
   * fsynced one by one (synchronous=NORMAL: with WAL a crash of the process loses no
   * commit; the inbox makes acknowledged updates durable itself, see core/inbox).
   * Command-line tools keep the defaults (they may wait, and every commit is synced).
   */
  useServerSettings(): Promise<void>;
  close(): Promise<void>;
}

/** Prisma's SQLite driver adapter stores DateTime as ISO text with "+00:00"; raw SQL must match it. */
export function sqliteTime(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

/** Turns `file:./x.db` or `file:/abs/x.db` into an absolute path (relative to the cwd, as Prisma does). */
export function sqliteFileFromUrl(url: string): string {
  if (!url.startsWith("file:")) {
    throw new Error(`DATABASE_URL must be a SQLite "file:" URL for the embedded store (got "${url.split(":")[0]}:...")`);
  }
  const p = url.slice("file:".length).split("?")[0]!;
  return path.resolve(p);
}

export async function openStore(config: Pick<Config, "DATA_DIR" | "DATABASE_URL" | "INDEX_DIR">): Promise<Store> {
  const file = sqliteFileFromUrl(config.DATABASE_URL);
  fs.mkdirSync(config.DATA_DIR, { recursive: true });
  fs.mkdirSync(config.INDEX_DIR, { recursive: true });
  fs.mkdirSync(path.dirname(file), { recursive: true });

  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  migrate(sqlite);

  const adapter = new PrismaBetterSQLite3({ url: `file:${file}` });
  const prisma = new PrismaClient({ adapter });
  await prisma.$connect();

  return {
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

/** A read-only connection to an existing, migrated store: what a search thread needs (no Prisma, no migrations). */
export interface ReadOnlyStore {
  sqlite: Database.Database;
  file: string;
  close(): void;
}

/**
 * Opens the store's database read-only. In WAL mode a reader never waits for a writer; a lock
 * that still stops it (a checkpoint restarting the log) is waited out for up to
 * `busyTimeoutMs`: the wait blocks only this connection's thread, never the server's.
 */
export function openReadOnlyStore(config: Pick<Config, "DATABASE_URL">, busyTimeoutMs = 1000): ReadOnlyStore {
  const file = sqliteFileFromUrl(config.DATABASE_URL);
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
  return { sqlite, file, close: () => sqlite.close() };
}
