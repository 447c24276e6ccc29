/**
 * Short-lived per-chat conversation state in the ConversationState table ("the choices
 * offered to this Zalo chat", "waiting for an absence reason"). Each (chat, key) is its
 * own row, stored under the chat id "<key>:<chatId>", so features never overwrite each
 * other's entries and each entry expires on its own.
 *
 *   const state = createStateStore(store.sqlite);
 *   state.set("zalo", chatId, "zalo.choices", choices, 3 * 86400);
 *   state.get<Choice[]>("zalo", chatId, "zalo.choices");
 */
import type Database from "better-sqlite3";
import type { ChannelName } from "./types.js";
import { sqliteTime } from "../db/store.js";

export interface ConversationStateStore {
  get<T>(channel: ChannelName, chatId: string, key: string): T | undefined;
  set(channel: ChannelName, chatId: string, key: string, value: unknown, ttlSeconds: number): void;
  delete(channel: ChannelName, chatId: string, key: string): void;
  /** Deletes expired rows (of every feature); returns how many. */
  prune(): number;
}

// Dates in the form Prisma writes for SQLite, so comparisons agree with Prisma-written rows.
const sqlDate = (ms: number) => sqliteTime(new Date(ms));

/** A state store over the product's SQLite database (raw SQL: it runs on the reply path). */
export function createStateStore(sqlite: Database.Database, now: () => number = Date.now): ConversationStateStore {
  const read = sqlite.prepare<[string, string, string], { data: string }>(
    `SELECT data FROM "ConversationState" WHERE channel = ? AND chatId = ? AND expiresAt > ?`,
  );
  const write = sqlite.prepare(
    `INSERT INTO "ConversationState" (channel, chatId, data, expiresAt, updatedAt) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(channel, chatId) DO UPDATE SET data = excluded.data, expiresAt = excluded.expiresAt, updatedAt = excluded.updatedAt`,
  );
  const remove = sqlite.prepare(`DELETE FROM "ConversationState" WHERE channel = ? AND chatId = ?`);
  const prune = sqlite.prepare(`DELETE FROM "ConversationState" WHERE expiresAt < ?`);
  const rowId = (chatId: string, key: string) => `${key}:${chatId}`;

  return {
    get<T>(channel: ChannelName, chatId: string, key: string) {
      const row = read.get(channel, rowId(chatId, key), sqlDate(now()));
      if (!row) return undefined;
      try {
        return JSON.parse(row.data) as T;
      } catch {
        return undefined;
      }
    },
    set(channel, chatId, key, value, ttlSeconds) {
      const t = now();
      write.run(channel, rowId(chatId, key), JSON.stringify(value), sqlDate(t + ttlSeconds * 1000), sqlDate(t));
    },
    delete(channel, chatId, key) {
      remove.run(channel, rowId(chatId, key));
    },
    prune() {
      return prune.run(sqlDate(now())).changes;
    },
  };
}
