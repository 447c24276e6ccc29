/**
 * The inbox (the transactional-inbox pattern): every platform update is stored here,
 * durably, before the platform gets its acknowledgement; it is then processed from
 * here (processor.ts), and its replies enter the outbox in the same transaction that
 * marks it done. So:
 *
 * - an acknowledged update survives a crash: it is still "pending" and is processed on start;
 * - a redelivered update (same channel and update key) is recognised and not stored twice;
 * - a reply that cannot be sent stays in the outbox and is retried there; the update
 *   that produced it is not processed again.
 *
 * One interface, one implementation per engine (openInbox picks by store.engine):
 * - SQLite (sqlite-inbox.ts): one server per store; stores batched per event-loop turn on a
 *   connection of their own with synchronous=FULL (one fsync per turn);
 * - PostgreSQL (postgresql-inbox.ts): any number of instances; an update is claimed by the
 *   instance that stored it (`claimedBy`), pending rows are adopted with FOR UPDATE SKIP LOCKED,
 *   so two instances never process one update (core/cluster/server-instance.ts gives claims of
 *   a stopped or dead instance back).
 *
 * Processed rows drop their payload (message text is not kept) and keep their key for
 * two weeks, so a late redelivery is still recognised.
 *
 *   const inbox = openInbox(store, { instanceId });
 *   const row = await inbox.store({ channel: "telegram", updateKey: "8812", chatKey: "555", payload }, { deadlineMs: 300 });
 *   const queued = await inbox.complete(row, replies); // replies queued + row done, atomically
 */
import type { Store } from "../db/store.js";
import type { ChannelName } from "../conversation/types.js";
import type { OutboxItem, QueuedMessage } from "../outbox/outbox.js";
import { openSqliteInbox } from "./sqlite-inbox.js";
import { openPostgresqlInbox } from "./postgresql-inbox.js";

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
   * payload). Returns its replies still waiting to be sent. Rejects when busy.
   */
  complete(row: InboxRow, replies: OutboxItem[]): Promise<QueuedMessage[]>;
  /** Records a failed attempt: retried at `retryAt`, or given up ("failed") when retryAt is null. Rejects when busy. */
  fail(row: InboxRow, error: string, retryAt: Date | null): Promise<void>;
  /**
   * Pending rows to process, oldest first (those of `channels` only, when given). On PostgreSQL
   * they are claimed for this instance: rows claimed by another live instance are not returned.
   */
  pending(limit: number, channels?: readonly ChannelName[]): Promise<InboxRow[]>;
  /** True when a write could start now (SQLite: nobody else holds the write lock; PostgreSQL: the database answers and accepts writes). */
  writable(): Promise<boolean>;
  /** Deletes processed and failed rows received more than `days` ago; returns how many. */
  prune(days: number): Promise<number>;
  /** Closes the inbox (stores still waiting are rejected); the store's own connections stay open. */
  close(): void;
}

export interface OpenInboxOptions {
  clock?: () => Date;
  /** PostgreSQL: the server instance (core/cluster/server-instance.ts) that claims what it stores and adopts; none: stored rows are left for any instance. */
  instanceId?: string;
}

/** Opens the inbox over the store's database, on its engine. */
export function openInbox(store: Store, options: OpenInboxOptions = {}): Inbox {
  return store.engine === "postgresql"
    ? openPostgresqlInbox(store.pg, { clock: options.clock, instanceId: options.instanceId ?? null })
    : openSqliteInbox(store, options.clock);
}
