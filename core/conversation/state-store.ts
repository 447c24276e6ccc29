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
import { AsyncLocalStorage } from "node:async_hooks";
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

/** What one message's handling has read or written so far (row key → data, null: none). */
type MessageReads = Map<string, string | null>;
const messageScope = new AsyncLocalStorage<MessageReads>();

/**
 * Runs the handling of one message with its state reads shared. Every feature looks for its
 * own entry of the chat (a pending form, a quiz, a reading position): on PostgreSQL each look
 * was a round trip, so within the scope the first read of a chat fetches every key this store
 * has seen in one query, and the rest are answered from it (writes update it). SQLite's reads
 * are local statements and stay as they are. Outside a scope every read asks the database.
 */
export function withSharedStateReads<T>(work: () => Promise<T>): Promise<T> {
  return messageScope.run(new Map(), work);
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

/** Over the shared PostgreSQL database (raw SQL through the pool: one round trip per call, or per message in a shared-reads scope). */
export function postgresqlStateStore(pool: pg.Pool, now: () => number = Date.now): ConversationStateStore {
  /** The keys features have asked for: a scope's first read of a chat fetches them all. */
  const knownKeys = new Set<string>();
  const memoKey = (channel: ChannelName, id: string) => `${channel}\u0000${id}`;

  async function readAll(channel: ChannelName, chatId: string, reads: MessageReads): Promise<void> {
    const ids = [...knownKeys].map((key) => rowId(chatId, key));
    const { rows } = await pool.query<{ chatId: string; data: string }>(
      `SELECT "chatId", data FROM "ConversationState" WHERE channel = $1 AND "chatId" = ANY($2::text[]) AND "expiresAt" > $3`,
      [channel, ids, postgresqlTime(new Date(now()))],
    );
    const found = new Map(rows.map((r) => [r.chatId, r.data]));
    for (const id of ids) if (!reads.has(memoKey(channel, id))) reads.set(memoKey(channel, id), found.get(id) ?? null);
  }

  return {
    async get<T>(channel: ChannelName, chatId: string, key: string) {
      knownKeys.add(key);
      const reads = messageScope.getStore();
      if (reads) {
        if (!reads.has(memoKey(channel, rowId(chatId, key)))) await readAll(channel, chatId, reads);
        return parse<T>(reads.get(memoKey(channel, rowId(chatId, key))) ?? undefined);
      }
      const { rows } = await pool.query<{ data: string }>(
        `SELECT data FROM "ConversationState" WHERE channel = $1 AND "chatId" = $2 AND "expiresAt" > $3`,
        [channel, rowId(chatId, key), postgresqlTime(new Date(now()))],
      );
      return parse<T>(rows[0]?.data);
    },
    async set(channel, chatId, key, value, ttlSeconds) {
      const t = now();
      messageScope.getStore()?.set(memoKey(channel, rowId(chatId, key)), JSON.stringify(value));
      await pool.query(
        `INSERT INTO "ConversationState" (channel, "chatId", data, "expiresAt", "updatedAt") VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (channel, "chatId") DO UPDATE SET data = excluded.data, "expiresAt" = excluded."expiresAt", "updatedAt" = excluded."updatedAt"`,
        [channel, rowId(chatId, key), JSON.stringify(value), postgresqlTime(new Date(t + ttlSeconds * 1000)), postgresqlTime(new Date(t))],
      );
    },
    async delete(channel, chatId, key) {
      messageScope.getStore()?.set(memoKey(channel, rowId(chatId, key)), null);
      await pool.query(`DELETE FROM "ConversationState" WHERE channel = $1 AND "chatId" = $2`, [channel, rowId(chatId, key)]);
    },
    async prune() {
      return (await pool.query(`DELETE FROM "ConversationState" WHERE "expiresAt" < $1`, [postgresqlTime(new Date(now()))])).rowCount ?? 0;
    },
  };
}
