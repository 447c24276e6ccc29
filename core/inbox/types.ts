/**
 * What the inbox is (inbox.ts explains why it exists): the interface both engines' inboxes
 * implement, and the rows and error they share. Apart from inbox.ts, which picks the engine,
 * so that the implementations do not import the module that imports them.
 */
import type { ChannelName } from "../conversation/types.js";
import type { OutboxItem, QueuedMessage } from "../outbox/outbox.js";

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
