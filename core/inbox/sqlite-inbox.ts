/**
 * The inbox on SQLite (see inbox.ts for the contract). Durability: stores go through their
 * own connection with synchronous=FULL, batched (all updates arriving in one event-loop turn
 * share one transaction and one fsync), while the rest of the server writes with
 * synchronous=NORMAL. In WAL mode an fsync makes everything committed before it durable too,
 * so a power cut can only undo work done after the last stored update, and that work is
 * redone from the inbox. A store waits for a lock asynchronously until its deadline, then
 * fails with InboxUnavailableError: the webhook answers 503 and the platform delivers again.
 */
import Database from "better-sqlite3";
import type { Store } from "../db/store.js";
import { sqliteTime } from "../db/store.js";
import { isDatabaseBusy, SERVER_BUSY_TIMEOUT_MS } from "../db/busy.js";
import { InboxUnavailableError, type Inbox, type InboxRow, type NewUpdate } from "./types.js";
import { enqueueNow, type OutboxItem, type QueuedMessage } from "../outbox/outbox.js";

interface Waiting {
  update: NewUpdate;
  giveUpAt: number;
  resolve(row: InboxRow | null): void;
  reject(err: unknown): void;
}

type RawRow = Omit<InboxRow, "nextAttemptAt" | "receivedAt"> & { nextAttemptAt: string; receivedAt: string };

const toRow = (r: RawRow): InboxRow => ({ ...r, nextAttemptAt: new Date(r.nextAttemptAt), receivedAt: new Date(r.receivedAt) });

/** How long a store that found the database locked waits before trying again. */
const RETRY_PAUSE_MS = 10;

/** Opens the inbox over the store's SQLite database (with a connection of its own for durable stores). */
export function openSqliteInbox(store: Pick<Store, "file" | "sqlite">, clock: () => Date = () => new Date()): Inbox {
  const durable = new Database(store.file);
  durable.pragma(`busy_timeout = ${SERVER_BUSY_TIMEOUT_MS}`);
  durable.pragma("synchronous = FULL");
  const insert = durable.prepare(
    `INSERT INTO "InboxUpdate" ("channel", "updateKey", "chatKey", "payload", "status", "attempts", "nextAttemptAt", "receivedAt")
     VALUES (?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT ("channel", "updateKey") DO NOTHING RETURNING "id"`,
  );
  const insertAll = durable.transaction((batch: Waiting[], at: string) =>
    batch.map((w) => {
      const u = w.update;
      const r = insert.get(u.channel, u.updateKey, u.chatKey, JSON.stringify(u.payload), at, at) as { id: number } | undefined;
      return r ? r.id : null;
    }),
  );

  const db = store.sqlite;
  const markDone = db.prepare(
    `UPDATE "InboxUpdate" SET "status" = 'done', "payload" = NULL, "lastError" = NULL, "processedAt" = ? WHERE "id" = ?`,
  );
  const completeTx = db.transaction((row: InboxRow, replies: OutboxItem[], at: Date) => {
    const queued = enqueueNow(db, replies, at);
    markDone.run(sqliteTime(at), row.id);
    return queued;
  });
  const markFailed = db.prepare(`UPDATE "InboxUpdate" SET "attempts" = ?, "lastError" = ?, "status" = ?, "nextAttemptAt" = ? WHERE "id" = ? AND "status" = 'pending'`);
  const selectPending = db.prepare(
    `SELECT "id", "channel", "updateKey", "chatKey", "payload", "attempts", "nextAttemptAt", "receivedAt"
     FROM "InboxUpdate" WHERE "status" = 'pending' AND (? IS NULL OR "channel" IN (SELECT value FROM json_each(?)))
     ORDER BY "id" LIMIT ?`,
  );
  const prune = db.prepare(`DELETE FROM "InboxUpdate" WHERE "status" IN ('done', 'failed') AND "receivedAt" < ?`);

  let waiting: Waiting[] = [];
  let flushTimer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  let closed = false;

  function schedule(delayMs: number): void {
    if (flushTimer) return;
    flushTimer = delayMs > 0 ? setTimeout(flush, delayMs) : setImmediate(flush);
  }

  function flush(): void {
    flushTimer = null;
    const batch = waiting;
    waiting = [];
    if (batch.length === 0) return;
    const now = clock();
    const at = sqliteTime(now);
    let ids: (number | null)[];
    try {
      ids = insertAll(batch, at);
    } catch (err) {
      if (!isDatabaseBusy(err)) {
        for (const w of batch) w.reject(err);
        return;
      }
      const t = Date.now();
      for (const w of batch) {
        if (t >= w.giveUpAt) w.reject(new InboxUnavailableError(err));
        else waiting.push(w);
      }
      if (waiting.length) schedule(RETRY_PAUSE_MS);
      return;
    }
    batch.forEach((w, i) => {
      const id = ids[i];
      if (id === null || id === undefined) return w.resolve(null);
      const u = w.update;
      w.resolve({
        id,
        channel: u.channel,
        updateKey: u.updateKey,
        chatKey: u.chatKey,
        payload: JSON.stringify(u.payload),
        attempts: 0,
        nextAttemptAt: now,
        receivedAt: now,
      });
    });
  }

  return {
    store(update, options = {}) {
      if (closed) return Promise.reject(new InboxUnavailableError("the inbox is closed"));
      return new Promise<InboxRow | null>((resolve, reject) => {
        waiting.push({ update, giveUpAt: Date.now() + (options.deadlineMs ?? Infinity), resolve, reject });
        schedule(0);
      });
    },
    async complete(row, replies) {
      return completeTx(row, replies, clock());
    },
    async fail(row, error, retryAt) {
      const at = sqliteTime(retryAt ?? clock());
      markFailed.run(row.attempts, error.slice(0, 500), retryAt ? "pending" : "failed", at, row.id);
    },
    async pending(limit, channels) {
      const list = channels ? JSON.stringify(channels) : null;
      return (selectPending.all(list, list, limit) as RawRow[]).map(toRow);
    },
    async writable() {
      try {
        durable.exec("BEGIN IMMEDIATE");
        durable.exec("ROLLBACK");
        return true;
      } catch (err) {
        if (isDatabaseBusy(err)) return false;
        throw err;
      }
    },
    async prune(days) {
      return prune.run(sqliteTime(new Date(clock().getTime() - days * 86_400_000))).changes;
    },
    close() {
      closed = true;
      if (flushTimer) {
        clearTimeout(flushTimer as NodeJS.Timeout);
        clearImmediate(flushTimer as NodeJS.Immediate);
        flushTimer = null;
      }
      for (const w of waiting.splice(0)) w.reject(new InboxUnavailableError("the inbox is closed"));
      durable.close();
    },
  };
}
