/**
 * The outbox worker on PostgreSQL, where any number of server instances share the outbox and
 * one send budget per platform. The same contract as worker.ts (at-least-once, a duplicate window
 * of the requests in flight), made cluster-wide:
 *
 * - rows are claimed with FOR UPDATE SKIP LOCKED (status "sending", `claimedBy` = this instance)
 *   in one transaction with the budget's slots (cluster-budget.ts): the overall slot and the
 *   chat's slot, so no message is sent by two instances, and N instances together stay within
 *   the platform's limits (overall and per chat);
 * - the delivered / failed marks name the claim; rows an instance left in "sending" go back to
 *   "pending" when it stops (hand-back) or its lease runs out (core/cluster/server-instance.ts);
 * - replies (deliverNow) are sent at once, as on SQLite: a member waiting for an answer does not
 *   wait behind a broadcast. A reply still counts: it borrows the slot that frees first, free or
 *   not yet, and holds it until a window after its response, so the broadcast slows down for it.
 *   Only when every slot is held by an open request does a reply wait (up to replySlotWaitMs), then
 *   go ahead of the queue.
 *
 *   const worker = createPostgresqlOutboxWorker({ pool: store.pg, instanceId: instance.id, senders, limits });
 *   await worker.start();
 */
import type pg from "pg";
import { ChannelSendError, type ChannelName, type ChannelSender } from "../conversation/types.js";
import type { Logger } from "../logger.js";
import { ClusterBudget } from "./cluster-budget.js";
import { decodeMessage, type QueuedMessage } from "./outbox.js";
import { backoffMs, type OutboxWorkerOptions } from "./worker.js";
import { outboxWorker, type OutboxWorker } from "./worker-api.js";
import { LoopClaims } from "./loop-claims.js";
import { WorkerLoop } from "./worker-loop.js";
import { inPostgresqlTransaction } from "../db/postgresql-transaction.js";

export interface PostgresqlOutboxWorkerOptions extends Omit<OutboxWorkerOptions, "prisma" | "sqlite"> {
  pool: pg.Pool;
  /** The ServerInstance that claims rows and slots. */
  instanceId: string;
  /** How long a reply waits when every slot is held by an open request, before it is left to the loop, ahead of the queue (default 1 s). */
  replySlotWaitMs?: number;
  /**
   * The loop takes slots that free within this many ms and starts their sends at the free time,
   * so the claim's round trips do not delay each slot's next send (default 20 ms; 0 with an
   * injected clock, where waiting would be in real time).
   */
  slotLeadMs?: number;
}

interface Row {
  id: number;
  channel: ChannelName;
  chatId: string;
  payload: string;
  attempts: number;
}

interface Lane {
  channel: ChannelName;
  sender: ChannelSender;
  budget: ClusterBudget;
  perTick: number;
  maxInFlight: number;
  inFlight: number;
  /** Local copy of a 429's pause (the budget's slots carry it to the other instances). */
  pausedUntil: number;
  /** The budget's slots exist (made once, on first use). */
  slotsReady: Promise<void> | null;
}

/** How long the loop lets freed slots accumulate before one tick takes them together. */
const COALESCE_MS = 5;
const PRUNE_CHATS_EVERY_MS = 10 * 60_000;

/** Creates the cluster's delivery worker for this instance. */
export function createPostgresqlOutboxWorker(options: PostgresqlOutboxWorkerOptions): OutboxWorker {
  const { pool, instanceId: me, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const maxAttempts = options.maxAttempts ?? 8;
  const idlePollMs = options.idlePollMs ?? 250;
  const ticksPerSecond = options.ticksPerSecond ?? 20;
  const replySlotWaitMs = options.replySlotWaitMs ?? 1000;
  const leadMs = options.slotLeadMs ?? (options.clock ? 0 : 20);

  const lanes = new Map<ChannelName, Lane>();
  for (const sender of options.senders) {
    const limits = options.limits[sender.channel] ?? { perSecond: 10 };
    lanes.set(sender.channel, {
      channel: sender.channel,
      sender,
      budget: new ClusterBudget(pool, {
        channel: sender.channel,
        perSecond: limits.perSecond,
        perChatPerSecond: limits.perChatPerSecond,
        marginMs: options.windowMarginMs ?? 5,
        instanceId: me,
        clock: options.clock,
      }),
      perTick: Math.max(1, Math.ceil((limits.perSecond / ticksPerSecond) * 2)),
      maxInFlight: options.maxInFlight ?? Math.max(4, Math.ceil(limits.perSecond / 10)),
      inFlight: 0,
      pausedUntil: 0,
      slotsReady: null,
    });
  }

  const pending = new Set<Promise<void>>();
  const loopClaims = new LoopClaims();
  let lastChatPrune = 0;
  const loop = new WorkerLoop({
    pass: () => tick(),
    nextDueAt,
    afterPass: pruneChats,
    idlePollMs,
    clock,
    onFailure(err, first) {
      if (first) logger?.error({ err }, "outbox tick failed; retrying");
    },
    onRecovery: () => logger?.info("outbox: the database answers again"),
  });

  const transaction = <T>(work: (client: pg.PoolClient) => Promise<T>) => inPostgresqlTransaction(pool, work);

  /** Retries a write that must not be lost (a mark after a send) while the database is unreachable, up to a minute. */
  async function persist(write: () => Promise<unknown>): Promise<void> {
    let delay = 50;
    const giveUpAt = Date.now() + 60_000;
    for (;;) {
      try {
        await write();
        return;
      } catch (err) {
        if (Date.now() >= giveUpAt) throw err;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 2000);
      }
    }
  }

  function ensureSlots(lane: Lane): Promise<void> {
    lane.slotsReady ??= lane.budget.ensureSlots().catch((err: unknown) => {
      lane.slotsReady = null;
      throw err;
    });
    return lane.slotsReady;
  }

  function markDelivered(row: Row, messageId: string | undefined): Promise<void> {
    return persist(() =>
      pool.query(
        `UPDATE "OutboxMessage" SET "status" = 'delivered', "sentAt" = $1::timestamp, "lastError" = NULL, "platformMessageId" = $2, "claimedBy" = NULL
         WHERE "id" = $3 AND "status" IN ('sending', 'pending')`,
        [clock().toISOString(), messageId ?? null, row.id],
      ),
    );
  }

  /** Records a failed send; returns when the row may be tried again (null: given up). */
  async function markFailure(row: Row, err: unknown, lane: Lane): Promise<Date | null> {
    const now = clock();
    const retryable = err instanceof ChannelSendError ? err.retryable : true;
    const retryAfterMs = err instanceof ChannelSendError && err.retryAfterSeconds ? err.retryAfterSeconds * 1000 : 0;
    const attempts = row.attempts + 1;
    const message = err instanceof Error ? err.message : String(err);
    if (retryAfterMs > 0) {
      lane.pausedUntil = Math.max(lane.pausedUntil, now.getTime() + retryAfterMs);
      await lane.budget.slowDown(retryAfterMs).catch((e: unknown) => logger?.error({ err: e }, "outbox: could not pause the cluster's budget"));
    }
    const retryAt = retryable && attempts < maxAttempts ? new Date(now.getTime() + (retryAfterMs || backoffMs(attempts))) : null;
    await persist(() =>
      pool.query(
        `UPDATE "OutboxMessage" SET "lastError" = $1, "status" = $2, "nextAttemptAt" = COALESCE($3::timestamp, "nextAttemptAt"), "claimedBy" = NULL
         WHERE "id" = $4 AND "status" = 'sending'`,
        [message.slice(0, 500), retryAt ? "pending" : "failed", retryAt?.toISOString() ?? null, row.id],
      ),
    );
    if (retryAt) loop.wakeAt(retryAt.getTime());
    else logger?.warn({ outboxId: row.id, channel: row.channel, attempts, error: message }, "outbox message failed for good");
    return retryAt;
  }

  /** Frees the send's slots a window after its response, which arrived at `respondedAt` (performance.now()). */
  function releaseSlot(lane: Lane, slot: number, chatId: string, heldChat: boolean, respondedAt: number): Promise<void> {
    return persist(async () => {
      // The wait for a connection counts as time since the response: the slot frees no later for it.
      const client = await pool.connect();
      try {
        await lane.budget.release(client, slot, chatId, heldChat, performance.now() - respondedAt);
      } finally {
        client.release();
      }
    }).catch((err: unknown) =>
      logger?.error({ err, channel: lane.channel }, "outbox: could not free a send slot (its lease frees it)"),
    );
  }

  function send(row: Row, slot: number, waitMs: number, lane: Lane): void {
    lane.inFlight++;
    const started = waitMs >= 1 ? new Promise<void>((r) => setTimeout(r, waitMs)) : Promise.resolve();
    const p = started
      .then(() => lane.sender.send(row.chatId, decodeMessage(row.payload)))
      .then(
        async (r) => void (await Promise.all([releaseSlot(lane, slot, row.chatId, true, performance.now()), markDelivered(row, r.messageId)])),
        async (error: unknown) => void (await Promise.all([releaseSlot(lane, slot, row.chatId, true, performance.now()), markFailure(row, error, lane)])),
      )
      .catch((err: unknown) => logger?.error({ err, outboxId: row.id }, "could not record an outbox result"))
      .finally(() => {
        const wasFull = lane.inFlight >= lane.maxInFlight;
        lane.inFlight--;
        pending.delete(p);
        loopClaims.release(row.id);
        if (wasFull) loop.wake();
      });
    pending.add(p);
  }

  /** Claims due rows of the lane (one per chat) together with their slots, in one transaction, and sends them. */
  async function tickLane(lane: Lane): Promise<number> {
    const now = clock();
    const nowMs = now.getTime();
    const room = Math.min(lane.perTick, lane.maxInFlight - lane.inFlight);
    if (room <= 0) return 0; // a request's end wakes the loop
    if (nowMs < lane.pausedUntil) {
      loop.wakeAt(lane.pausedUntil);
      return 0;
    }
    await ensureSlots(lane);
    const take = room + 20;
    const held: number[] = [];
    const claim = await transaction(async (db) => {
      const candidates = (
        await db.query<Row>(
          `SELECT "id", "channel", "chatId", "payload", "attempts" FROM "OutboxMessage"
           WHERE "channel" = $1 AND "status" = 'pending' AND "nextAttemptAt" <= $2::timestamp
           ORDER BY "nextAttemptAt", "id" LIMIT $3 FOR UPDATE SKIP LOCKED`,
          [lane.channel, now.toISOString(), take],
        )
      ).rows;
      const chosen: Row[] = [];
      const chats = new Set<string>();
      for (const row of candidates) {
        if (chosen.length >= room) break;
        if (chats.has(row.chatId)) continue;
        chats.add(row.chatId);
        chosen.push(row);
      }
      if (chosen.length === 0) return { rows: [] as { row: Row; slot: number; waitMs: number }[], candidates: candidates.length, nextFreeMs: null };
      const slots = await lane.budget.takeSlots(db, chosen.length, leadMs);
      if (slots.length === 0) return { rows: [], candidates: candidates.length, nextFreeMs: await lane.budget.nextFreeInMs(db) };
      const freeChats = await lane.budget.takeChats(db, chosen.map((r) => r.chatId));
      const usable = chosen.filter((r) => freeChats.has(r.chatId));
      const used = usable.slice(0, slots.length);
      await lane.budget.giveBack(
        db,
        slots.slice(used.length).map((s) => s.slot),
        usable.slice(slots.length).map((r) => r.chatId),
      );
      if (used.length > 0) {
        loopClaims.hold(used.map((r) => r.id));
        held.push(...used.map((r) => r.id));
        await db.query(`UPDATE "OutboxMessage" SET "status" = 'sending', "attempts" = "attempts" + 1, "claimedBy" = $1 WHERE "id" = ANY($2::int[])`, [
          me,
          used.map((r) => r.id),
        ]);
      }
      return {
        rows: used.map((row, i) => ({ row, slot: slots[i]!.slot, waitMs: slots[i]!.waitMs })),
        candidates: candidates.length,
        nextFreeMs: slots.length < chosen.length ? await lane.budget.nextFreeInMs(db) : null,
      };
    }).catch((err: unknown) => {
      for (const id of held) loopClaims.release(id); // not claimed after all
      throw err;
    });
    for (const { row, slot, waitMs } of claim.rows) send(row, slot, waitMs, lane);
    if (claim.candidates > claim.rows.length || claim.candidates === take) {
      // More is waiting: next tick when this tick's cap stopped us or chats were busy, else when a slot frees (less the lead).
      if (claim.nextFreeMs !== null && claim.rows.length < lane.perTick) loop.wakeAt(clock().getTime() + Math.max(0, claim.nextFreeMs - leadMs) + COALESCE_MS);
      else loop.wakeAt(nowMs + 1000 / ticksPerSecond);
    }
    return claim.rows.length;
  }

  async function tick(): Promise<number> {
    let started = 0;
    for (const lane of lanes.values()) started += await tickLane(lane);
    return started;
  }

  async function nextDueAt(): Promise<number | null> {
    const r = await pool.query<{ at: Date | null }>(`SELECT min("nextAttemptAt") AS at FROM "OutboxMessage" WHERE "status" = 'pending' AND "channel" = ANY($1::text[])`, [
      [...lanes.keys()],
    ]);
    return r.rows[0]?.at ? r.rows[0].at.getTime() : null;
  }

  async function pruneChats(): Promise<void> {
    if (Date.now() - lastChatPrune < PRUNE_CHATS_EVERY_MS) return;
    lastChatPrune = Date.now();
    for (const lane of lanes.values()) await lane.budget.pruneChats();
  }

  /** Borrows the slot that frees first (free or not) and claims the reply's row in one statement; waits only while every slot is held. */
  async function claimForReply(row: QueuedMessage, lane: Lane): Promise<{ slot: number } | "taken" | "no slot"> {
    const giveUpAt = Date.now() + replySlotWaitMs;
    await ensureSlots(lane);
    for (;;) {
      const r = await pool.query<{ slot: number | null; id: number | null; wait: number | null }>(
        `WITH s AS (
           UPDATE "RateSlot" SET "holder" = $3 WHERE "channel" = $1 AND "slot" IN (
             SELECT "slot" FROM "RateSlot" WHERE "channel" = $1 AND "holder" IS NULL
             ORDER BY "freeAt", "slot" LIMIT 1 FOR UPDATE SKIP LOCKED)
           RETURNING "slot"),
         m AS (
           UPDATE "OutboxMessage" SET "status" = 'sending', "attempts" = "attempts" + 1, "claimedBy" = $3
           WHERE "id" = $2 AND "status" = 'pending' AND EXISTS (SELECT 1 FROM s) RETURNING "id")
         SELECT (SELECT "slot" FROM s) AS slot, (SELECT "id" FROM m) AS id,
           (SELECT EXTRACT(EPOCH FROM (min("freeAt") - COALESCE($4::timestamp, clock_timestamp() AT TIME ZONE 'UTC'))) * 1000
            FROM "RateSlot" WHERE "channel" = $1 AND "holder" IS NULL)::float8 AS wait`,
        [lane.channel, row.id, me, options.clock ? clock().toISOString() : null],
      );
      const { slot, id, wait } = r.rows[0]!;
      if (slot !== null && id !== null) return { slot };
      if (slot !== null) {
        await lane.budget.giveBack(pool, [slot], []);
        return "taken"; // the loop (here or on another instance) took it, or it is no longer pending
      }
      if (Date.now() >= giveUpAt) return "no slot";
      await new Promise((res) => setTimeout(res, Math.min(100, Math.max(5, (wait ?? 50) + COALESCE_MS))));
    }
  }

  /** Sends one claimed reply now; returns its retry time when it failed (null: sent, or given up). */
  async function sendNow(row: QueuedMessage, slot: number, lane: Lane): Promise<Date | null> {
    try {
      const r = await lane.sender.send(row.chatId, decodeMessage(row.payload));
      await Promise.all([releaseSlot(lane, slot, row.chatId, false, performance.now()), markDelivered(row, r.messageId)]);
      return null;
    } catch (err) {
      await releaseSlot(lane, slot, row.chatId, false, performance.now());
      return markFailure(row, err, lane);
    }
  }

  async function deliverNow(rows: QueuedMessage[]): Promise<void> {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const lane = lanes.get(row.channel);
      if (!lane || clock().getTime() < lane.pausedUntil) return; // the loop sends it in time
      let retryAt: Date | null;
      try {
        const claimed = await claimForReply(row, lane);
        if (claimed === "taken") {
          await loopClaims.settled(row.id); // this instance's loop is sending it
          continue;
        }
        if (claimed === "no slot") {
          // Every slot is held by an open request: the rest goes to the loop, ahead of everything due, in order.
          await pool
            .query(`UPDATE "OutboxMessage" SET "nextAttemptAt" = TIMESTAMP '1970-01-01' WHERE "id" = ANY($1::int[]) AND "status" = 'pending'`, [rows.slice(i).map((r) => r.id)])
            .catch((err: unknown) => logger?.error({ err }, "outbox: could not put a reply ahead of the queue"));
          loop.wake();
          return;
        }
        retryAt = await sendNow(row, claimed.slot, lane);
      } catch (err) {
        logger?.error({ err, outboxId: row.id }, "outbox: could not send a reply at once");
        return;
      }
      if (retryAt) {
        // The later parts must not overtake this one.
        await pool
          .query(`UPDATE "OutboxMessage" SET "nextAttemptAt" = $1::timestamp WHERE "id" = ANY($2::int[]) AND "status" = 'pending' AND "nextAttemptAt" < $1::timestamp`, [
            retryAt.toISOString(),
            rows.slice(i + 1).map((r) => r.id),
          ])
          .catch((err: unknown) => logger?.error({ err }, "outbox: could not hold back a reply's later parts"));
        return;
      }
    }
  }

  /** Puts this instance's rows left in "sending" back to "pending" (other instances' are their lease's business). */
  async function recover(): Promise<number> {
    const r = await pool.query(`UPDATE "OutboxMessage" SET "status" = 'pending', "claimedBy" = NULL WHERE "status" = 'sending' AND "claimedBy" = $1`, [me]);
    const count = r.rowCount ?? 0;
    if (count > 0) logger?.warn({ count }, "outbox: re-sending rows left in flight (possible duplicates)");
    return count;
  }

  return outboxWorker({
    loop,
    pending,
    async start() {
      if (loop.isRunning) return;
      for (const lane of lanes.values()) await ensureSlots(lane);
      await recover();
      loop.start();
    },
    deliverNow,
    recover,
    tick,
    inFlight: () => [...lanes.values()].reduce((n, l) => n + l.inFlight, 0),
  });
}
