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
import type { Inbox } from "./types.js";
import { openSqliteInbox } from "./sqlite-inbox.js";
import { openPostgresqlInbox } from "./postgresql-inbox.js";

export * from "./types.js";

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
