/**
 * The outbox worker for the store's engine: on SQLite the one-process worker with its in-memory
 * rate windows (worker.ts); on PostgreSQL the cluster's worker, which shares the outbox and one
 * send budget per platform with the other server instances (postgresql-worker.ts).
 *
 *   const worker = openOutboxWorker(store, { senders, limits, logger, instanceId: instance?.id });
 */
import type { Store } from "../db/store.js";
import { createPostgresqlOutboxWorker, type PostgresqlOutboxWorkerOptions } from "./postgresql-worker.js";
import { createOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from "./worker.js";

export type OpenOutboxWorkerOptions = Omit<OutboxWorkerOptions, "prisma" | "sqlite"> &
  Partial<Pick<PostgresqlOutboxWorkerOptions, "replySlotWaitMs" | "slotLeadMs">> & {
  /** PostgreSQL: the ServerInstance (core/cluster/server-instance.ts) that claims rows and send slots. */
  instanceId?: string;
};

export function openOutboxWorker(store: Store, options: OpenOutboxWorkerOptions): OutboxWorker {
  const { instanceId, replySlotWaitMs, slotLeadMs, ...rest } = options;
  if (store.engine === "sqlite") return createOutboxWorker({ ...rest, prisma: store.prisma, sqlite: store.sqlite });
  if (!instanceId) throw new Error("the outbox worker on PostgreSQL needs the server instance that claims its rows (instanceId)");
  return createPostgresqlOutboxWorker({ ...rest, replySlotWaitMs, slotLeadMs, pool: store.pg, instanceId });
}
