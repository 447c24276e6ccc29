/**
 * The inbox (the transactional-inbox pattern): every platform update is stored here,
 * durably, before the platform gets its acknowledgement; it is then processed from
 * here (processor.ts), and its replies enter the outbox in the same SQLite transaction
 * that marks it done. So:
 *
 * - an acknowledged update survives a crash: it is still "pending" and is processed on start;
 * - a redelivered update (same channel and update key) is recognised and not stored twice;
 * - a reply that cannot be sent stays in the outbox and is retried there; the update
 *   that produced it is not processed again.
 *
 * Durability: stores go through their own connection with synchronous=FULL, batched
 * (all updates arriving in one event-loop turn share one transaction and one fsync),
 * while the rest of the server writes with synchronous=NORMAL. In WAL mode an fsync
 * makes everything committed before it durable too, so a power cut can only undo
 * work done after the last stored update, and that work is redone from the inbox.
 * A store waits for a lock asynchronously until its deadline, then fails with
 * InboxUnavailableError: the webhook answers 503 and the platform delivers again.
 *
 * Processed rows drop their payload (message text is not kept) and keep their key for
 * two weeks, so a late redelivery is still recognised.
 *
 *   const inbox = openInbox(store);
 *   const row = await inbox.store({ channel: "telegram", updateKey: "8812", chatKey: "555", payload }, { deadlineMs: 300 });
 *   const queued = inbox.complete(row, replies); // replies queued + row done, atomically
 */
import Database from "better-sqlite3";
import type { Store } from "../db/store.js";
import { sqliteTime } from "../db/store.js";
import { isDatabaseBusy, SERVER_BUSY_TIMEOUT_MS } from "../db/busy.js";
import type { ChannelName } from "../conversation/types.js";
import { enqueueNow, type OutboxItem, type QueuedMessage } from "../outbox/outbox.js";

export interface NewUpdate {
  channel: ChannelName;
  /** The platform's id of the update (Telegram update_id, Zalo message_id). */
  updateKey: string;
  /** The chat it belongs to: updates of one chat are processed in order. */
  chatKey: string;
  /** The update as received (JSON-serialisable). */
  payload: unknown;
}

/** A stored update waiting to be processed. */
export interface InboxRow {
  id: number;
  channel: ChannelName;
  updateKey: string;
  chatKey: string;
  /** The update's JSON. */
  payload: string;
  attempts: number;
  nextAttemptAt: Date;
  receivedAt: Date;
}

/** The update could not be stored in time (the database is locked); do not acknowledge it. */
export class InboxUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the inbox cannot store updates right now: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "InboxUnavailableError";
  }
}

export interface Inbox {
  /**
   * Stores an update durably; resolves with its row, or null when the same (channel,
   * updateKey) is already stored (a redelivery). Rejects with InboxUnavailableError when
   * the database stays locked past `deadlineMs` (default: waits as long as it takes).
   */
  store(update: NewUpdate, options?: { deadlineMs?: number }): Promise<InboxRow | null>;
  /**
   * One transaction: queues `replies` in the outbox and marks the row done (dropping its
   * payload). Returns its replies still waiting to be sent. Throws when busy.
   */
  complete(row: InboxRow, replies: OutboxItem[]): QueuedMessage[];
  /** Records a failed attempt: retried at `retryAt`, or given up ("failed") when retryAt is null. Throws when busy. */
  fail(row: InboxRow, error: string, retryAt: Date | null): void;
  /** Pending rows, oldest first (those of `channels` only, when given). */
  pending(limit: number, channels?: readonly ChannelName[]): InboxRow[];
  /** True when a write could start now (nobody else holds the database's write lock). */
  writable(): boolean;
  /** Deletes processed and failed rows received more than `days` ago; returns how many. */
  prune(days: number): number;
  /** Closes the inbox's own connection (stores still waiting are rejected). */
  close(): void;
}

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

/** Opens the inbox over the store's database (with a connection of its own for durable stores). */
export function openInbox(store: Pick<Store, "file" | "sqlite">, clock: () => Date = () => new Date()): Inbox {
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
    complete(row, replies) {
      return completeTx(row, replies, clock());
    },
    fail(row, error, retryAt) {
      const at = sqliteTime(retryAt ?? clock());
      markFailed.run(row.attempts, error.slice(0, 500), retryAt ? "pending" : "failed", at, row.id);
    },
    pending(limit, channels) {
      const list = channels ? JSON.stringify(channels) : null;
      return (selectPending.all(list, list, limit) as RawRow[]).map(toRow);
    },
    writable() {
      try {
        durable.exec("BEGIN IMMEDIATE");
        durable.exec("ROLLBACK");
        return true;
      } catch (err) {
        if (isDatabaseBusy(err)) return false;
        throw err;
      }
    },
    prune(days) {
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
