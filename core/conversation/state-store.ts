/**
 * Short-lived per-chat conversation state in the ConversationState table ("the choices
 * offered to this Zalo chat", "this chat is answering an absence reason"). One row per
 * chat holds a JSON map of named entries, each with its own expiry, so features share
 * the row without stepping on each other.
 *
 *   const state = createStateStore(store.sqlite);
 *   state.set("zalo", chatId, "choices", choices, 3 * 86400);
 *   state.get<Choice[]>("zalo", chatId, "choices");
 */
import type Database from "better-sqlite3";
import type { ChannelName } from "./types.js";

export interface ConversationStateStore {
  get<T>(channel: ChannelName, chatId: string, key: string): T | undefined;
  set(channel: ChannelName, chatId: string, key: string, value: unknown, ttlSeconds: number): void;
  delete(channel: ChannelName, chatId: string, key: string): void;
  /** Deletes rows whose every entry expired; returns how many. */
  prune(): number;
}

type Entries = Record<string, { value: unknown; expiresAt: number }>;

// Raw SQL on the hot path (every Zalo reply with choices); dates in Prisma's SQLite text form.
const sqlDate = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

/** A state store over the product's SQLite database. */
export function createStateStore(sqlite: Database.Database, now: () => number = Date.now): ConversationStateStore {
  const read = sqlite.prepare<[string, string], { data: string }>(
    `SELECT data FROM "ConversationState" WHERE channel = ? AND chatId = ?`,
  );
  const write = sqlite.prepare(
    `INSERT INTO "ConversationState" (channel, chatId, data, expiresAt, updatedAt) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(channel, chatId) DO UPDATE SET data = excluded.data, expiresAt = excluded.expiresAt, updatedAt = excluded.updatedAt`,
  );
  const remove = sqlite.prepare(`DELETE FROM "ConversationState" WHERE channel = ? AND chatId = ?`);
  const pruneStmt = sqlite.prepare(`DELETE FROM "ConversationState" WHERE expiresAt < ?`);

  function load(channel: string, chatId: string): Entries {
    const row = read.get(channel, chatId);
    if (!row) return {};
    try {
      const entries = JSON.parse(row.data) as Entries;
      const t = now();
      for (const [k, e] of Object.entries(entries)) if (!e || e.expiresAt <= t) delete entries[k];
      return entries;
    } catch {
      return {};
    }
  }

  function save(channel: string, chatId: string, entries: Entries): void {
    const expiries = Object.values(entries).map((e) => e.expiresAt);
    if (expiries.length === 0) {
      remove.run(channel, chatId);
      return;
    }
    write.run(channel, chatId, JSON.stringify(entries), sqlDate(Math.max(...expiries)), sqlDate(now()));
  }

  return {
    get<T>(channel: ChannelName, chatId: string, key: string) {
      return load(channel, chatId)[key]?.value as T | undefined;
    },
    set(channel, chatId, key, value, ttlSeconds) {
      const tx = sqlite.transaction(() => {
        const entries = load(channel, chatId);
        entries[key] = { value, expiresAt: now() + ttlSeconds * 1000 };
        save(channel, chatId, entries);
      });
      tx();
    },
    delete(channel, chatId, key) {
      const tx = sqlite.transaction(() => {
        const entries = load(channel, chatId);
        delete entries[key];
        save(channel, chatId, entries);
      });
      tx();
    },
    prune() {
      return pruneStmt.run(sqlDate(now())).changes;
    },
  };
}
