/**
 * Short-lived per-chat conversation state in the ConversationState table ("the choices
 * offered to this Zalo chat", "waiting for an absence reason"). Each (chat, key) is its
 * own row, stored under the chat id "<key>:<chatId>", so features never overwrite each
 * other's entries and each entry expires on its own.
 *
 * The table is in the product's database on either engine, so on PostgreSQL every server
 * instance sees the same state: a member's next message may reach another instance. The
 * interface is async for PostgreSQL's sake; on SQLite each call is still one prepared
 * statement run at once.
 *
 *   const state = createStateStore(store);
 *   await state.set("zalo", chatId, "zalo.choices", choices, 3 * 86400);
 *   await state.get<Choice[]>("zalo", chatId, "zalo.choices");
 */
import type Database from "better-sqlite3";
import type pg from "pg";
import type { ChannelName } from "./types.js";
import { postgresqlTime, sqliteTime, type Store } from "../db/store.js";

export interface ConversationStateStore {
  get<T>(channel: ChannelName, chatId: string, key: string): Promise<T | undefined>;
  set(channel: ChannelName, chatId: string, key: string, value: unknown, ttlSeconds: number): Promise<void>;
  delete(channel: ChannelName, chatId: string, key: string): Promise<void>;
  /** Deletes expired rows (of every feature); returns how many. */
  prune(): Promise<number>;
}

/** The state store on the store's engine (`now`: a test's clock). */
export function createStateStore(store: Store, now: () => number = Date.now): ConversationStateStore {
  return store.engine === "postgresql" ? postgresqlStateStore(store.pg, now) : sqliteStateStore(store.sqlite, now);
}

const rowId = (chatId: string, key: string) => `${key}:${chatId}`;

function parse<T>(data: string | undefined): T | undefined {
  if (data === undefined) return undefined;
  try {
    return JSON.parse(data) as T;
  } catch {
    return undefined;
  }
}

// Dates in the form Prisma writes for SQLite, so comparisons agree with Prisma-written rows.
const sqlDate = (ms: number) => sqliteTime(new Date(ms));

/** Over the SQLite store's raw connection (it runs on the reply path): one prepared statement per call. */
export function sqliteStateStore(sqlite: Database.Database, now: () => number = Date.now): ConversationStateStore {
  const read = sqlite.prepare<[string, string, string], { data: string }>(
    `SELECT data FROM "ConversationState" WHERE channel = ? AND chatId = ? AND expiresAt > ?`,
  );
  const write = sqlite.prepare(
    `INSERT INTO "ConversationState" (channel, chatId, data, expiresAt, updatedAt) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(channel, chatId) DO UPDATE SET data = excluded.data, expiresAt = excluded.expiresAt, updatedAt = excluded.updatedAt`,
  );
  const remove = sqlite.prepare(`DELETE FROM "ConversationState" WHERE channel = ? AND chatId = ?`);
  const prune = sqlite.prepare(`DELETE FROM "ConversationState" WHERE expiresAt < ?`);

  return {
    async get<T>(channel: ChannelName, chatId: string, key: string) {
      return parse<T>(read.get(channel, rowId(chatId, key), sqlDate(now()))?.data);
    },
    async set(channel, chatId, key, value, ttlSeconds) {
      const t = now();
      write.run(channel, rowId(chatId, key), JSON.stringify(value), sqlDate(t + ttlSeconds * 1000), sqlDate(t));
    },
    async delete(channel, chatId, key) {
      remove.run(channel, rowId(chatId, key));
    },
    async prune() {
      return prune.run(sqlDate(now())).changes;
    },
  };
}

/** Over the shared PostgreSQL database (raw SQL through the pool: one round trip per call). */
export function postgresqlStateStore(pool: pg.Pool, now: () => number = Date.now): ConversationStateStore {
  return {
    async get<T>(channel: ChannelName, chatId: string, key: string) {
      const { rows } = await pool.query<{ data: string }>(
        `SELECT data FROM "ConversationState" WHERE channel = $1 AND "chatId" = $2 AND "expiresAt" > $3`,
        [channel, rowId(chatId, key), postgresqlTime(new Date(now()))],
      );
      return parse<T>(rows[0]?.data);
    },
    async set(channel, chatId, key, value, ttlSeconds) {
      const t = now();
      await pool.query(
        `INSERT INTO "ConversationState" (channel, "chatId", data, "expiresAt", "updatedAt") VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (channel, "chatId") DO UPDATE SET data = excluded.data, "expiresAt" = excluded."expiresAt", "updatedAt" = excluded."updatedAt"`,
        [channel, rowId(chatId, key), JSON.stringify(value), postgresqlTime(new Date(t + ttlSeconds * 1000)), postgresqlTime(new Date(t))],
      );
    },
    async delete(channel, chatId, key) {
      await pool.query(`DELETE FROM "ConversationState" WHERE channel = $1 AND "chatId" = $2`, [channel, rowId(chatId, key)]);
    },
    async prune() {
      return (await pool.query(`DELETE FROM "ConversationState" WHERE "expiresAt" < $1`, [postgresqlTime(new Date(now()))])).rowCount ?? 0;
    },
  };
}
