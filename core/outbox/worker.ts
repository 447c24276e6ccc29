/**
 * Delivers outbox rows through the channels' senders, within each channel's rate
 * limits (overall and per chat), retrying retryable failures with backoff (honouring
 * the platform's retry_after) and marking each row delivered or failed. Replies to a
 * member who is waiting go at once through `deliverNow` (counted in the rate windows,
 * but not held back by them); whatever cannot go at once is left to the loop.
 *
 * A locked database (another process writing) only delays: marks are retried until
 * they are written, and the loop tries again on its next tick.
 *
 * Crash safety: a row is claimed (status "sending", one conditional UPDATE) right
 * before its request and marked right after the response (at once with the raw
 * connection; without it, successes of the same event-loop turn share one UPDATE and
 * the request counts as in flight until then). After a crash or kill, rows still in
 * "sending" are exactly the requests that were in flight; `start()` (via `recover()`)
 * puts them back to "pending" and sends them again. Those — and only those — may reach
 * a member twice (the platform may have delivered before the process died, and no
 * platform lets a bot ask): at-least-once delivery with a duplicate window of the
 * requests in flight (the loop's `maxInFlight` per channel, plus replies being sent).
 * Everything else is sent exactly once.
 *
 *   const worker = createOutboxWorker({ prisma, senders: [telegram], limits: { telegram: { perSecond: 30, perChatPerSecond: 1 } } });
 *   await worker.start();   // recover + loop
 *   await worker.stop();    // stop claiming, wait for requests in flight
 */
import type { OutboxMessage, PrismaClient } from "@prisma/client";
import type Database from "better-sqlite3";
import type { Logger } from "../logger.js";
import { ChannelSendError, type ChannelName, type ChannelSender } from "../conversation/types.js";
import { ChannelRateLimiter } from "./rate-limit.js";
import { decodeMessage } from "./outbox.js";
import { sqliteTime } from "../db/store.js";
import { isDatabaseBusy, retryWhileBusy } from "../db/busy.js";
import type { QueuedMessage } from "./outbox.js";
import { LoopClaims } from "./loop-claims.js";
import { outboxWorker, type OutboxWorker } from "./worker-api.js";
import { WorkerLoop } from "./worker-loop.js";

export type { OutboxWorker } from "./worker-api.js";

export interface ChannelLimits {
  /** Messages per second over all chats (Telegram: about 30). */
  perSecond: number;
  /** Messages per second to one chat (Telegram: 1). */
  perChatPerSecond?: number;
}

export interface OutboxWorkerOptions {
  prisma: PrismaClient;
  /**
   * The store's raw connection, for the reply path: a reply is claimed and marked with
   * prepared statements instead of Prisma queries (about 0.3 ms each, per update).
   */
  sqlite?: Database.Database;
  senders: ChannelSender[];
  limits: Partial<Record<ChannelName, ChannelLimits>>;
  /** Current time; injectable so tests control retries and rate windows without sleeping. */
  clock?: () => Date;
  /** A row is marked failed after this many attempts (default 8). */
  maxAttempts?: number;
  /** Requests in flight per channel at most (default: a tenth of perSecond, at least 4). */
  maxInFlight?: number;
  /** Sleep between polls when there is nothing to send (default 250 ms). */
  idlePollMs?: number;
  /** Ticks per second while sending (default 20): each tick sends at most perSecond/ticks × 2. */
  ticksPerSecond?: number;
  /** Added to every rate window (default 5 ms; see rate-limit.ts for why little is needed). */
  windowMarginMs?: number;
  logger?: Logger;
}

/** What sending a row needs of it. */
type Sendable = Pick<OutboxMessage, "id" | "channel" | "chatId" | "payload" | "attempts">;

/** How long the loop lets freed rate slots accumulate before one tick takes them together. */
const COALESCE_MS = 5;

/** Backoff after a retryable failure without retry_after: 1 s, 2 s, 4 s ... capped at 5 min. */
export function backoffMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempts - 1), 300_000);
}

/** Creates the delivery worker; see the module comment for the crash-safety contract. */
export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { prisma, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const maxAttempts = options.maxAttempts ?? 8;
  const idlePollMs = options.idlePollMs ?? 250;
  const ticksPerSecond = options.ticksPerSecond ?? 20;
  const margin = options.windowMarginMs ?? 5;

  interface Lane {
    sender: ChannelSender;
    limiter: ChannelRateLimiter;
    perTick: number;
    maxInFlight: number;
    inFlight: number;
  }
  const lanes = new Map<ChannelName, Lane>();
  for (const sender of options.senders) {
    const limits = options.limits[sender.channel] ?? { perSecond: 10 };
    lanes.set(sender.channel, {
      sender,
      limiter: new ChannelRateLimiter(limits.perSecond, limits.perChatPerSecond, margin),
      perTick: Math.max(1, Math.ceil((limits.perSecond / ticksPerSecond) * 2)),
      maxInFlight: options.maxInFlight ?? Math.max(4, Math.ceil(limits.perSecond / 10)),
      inFlight: 0,
    });
  }

  const pending = new Set<Promise<void>>();
  const loopClaims = new LoopClaims();
  /** When the loop first found the database locked (null: it is not), so an outage is logged once. */
  let busySince: number | null = null;
  const loop = new WorkerLoop({
    pass: () => tick(),
    nextDueAt,
    idlePollMs,
    clock,
    onFailure(err) {
      if (!isDatabaseBusy(err)) logger?.error({ err }, "outbox tick failed");
      else if (busySince === null) {
        busySince = Date.now();
        logger?.warn("outbox: the database is locked by another process; delivery waits");
      }
    },
    onRecovery() {
      if (busySince === null) return;
      logger?.info({ lockedMs: Date.now() - busySince }, "outbox: the database is writable again");
      busySince = null;
    },
  });

  const raw = options.sqlite
    ? {
        claim: options.sqlite.prepare(`UPDATE "OutboxMessage" SET "status" = 'sending', "attempts" = "attempts" + 1 WHERE "id" = ? AND "status" = 'pending'`),
        delivered: options.sqlite.prepare(
          `UPDATE "OutboxMessage" SET "status" = 'delivered', "sentAt" = ?, "lastError" = NULL, "platformMessageId" = ? WHERE "id" = ? AND "status" = 'sending'`,
        ),
      }
    : null;
  const markAllDelivered = options.sqlite?.transaction((rows: { id: number; messageId: string | null }[], at: string) => {
    for (const r of rows) raw!.delivered.run(at, r.messageId, r.id);
  });

  /**
   * Successful sends waiting to be marked; flushed together in one UPDATE as soon as the
   * event loop is free. With the raw connection each send is marked as soon as it returns,
   * and this batch only takes the marks that found the database locked.
   */
  let deliveredBatch: { id: number; messageId: string | null; done: () => void }[] = [];
  let flushScheduled = false;

  async function flushDelivered(): Promise<void> {
    flushScheduled = false;
    const batch = deliveredBatch;
    deliveredBatch = [];
    const at = sqliteTime(clock());
    for (let i = 0; i < batch.length; i += 200) {
      const chunk = batch.slice(i, i + 200);
      const cases = chunk.map(() => "WHEN ? THEN ?").join(" ");
      try {
        // Sent is sent: the mark waits out a locked database rather than leave the row to be sent again.
        await retryWhileBusy<unknown>(() =>
          markAllDelivered ? markAllDelivered(chunk, at) : prisma.$executeRawUnsafe(
            `UPDATE "OutboxMessage" SET "status" = 'delivered', "sentAt" = ?, "lastError" = NULL,
               "platformMessageId" = CASE "id" ${cases} END
             WHERE "status" = 'sending' AND "id" IN (${chunk.map(() => "?").join(", ")})`,
            at,
            ...chunk.flatMap((d) => [d.id, d.messageId]),
            ...chunk.map((d) => d.id),
          ),
        );
      } finally {
        for (const d of chunk) d.done();
      }
    }
  }

  function markDelivered(row: Sendable, messageId: string | undefined): Promise<void> {
    if (raw) {
      // At once: until this mark, a crash would send the row again (the duplicate window is the request itself).
      try {
        raw.delivered.run(sqliteTime(clock()), messageId ?? null, row.id);
        return Promise.resolve();
      } catch (err) {
        if (!isDatabaseBusy(err)) logger?.error({ err, outboxId: row.id }, "could not mark an outbox row delivered");
        // Locked: the batch below waits it out.
      }
    }
    return new Promise<void>((done) => {
      deliveredBatch.push({ id: row.id, messageId: messageId ?? null, done });
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(() => {
          flushDelivered().catch((err: unknown) => logger?.error({ err }, "could not mark outbox rows delivered"));
        });
      }
    });
  }

  /** Records a failed send; returns when the row may be tried again (null: given up). */
  async function markFailure(row: Sendable, err: unknown, lane: Lane): Promise<Date | null> {
    const now = clock();
    const retryable = err instanceof ChannelSendError ? err.retryable : true;
    const retryAfterMs = err instanceof ChannelSendError && err.retryAfterSeconds ? err.retryAfterSeconds * 1000 : 0;
    const attempts = row.attempts + 1;
    const message = err instanceof Error ? err.message : String(err);
    if (retryAfterMs > 0) lane.limiter.slowDown(now.getTime() + retryAfterMs);
    const retryAt = retryable && attempts < maxAttempts ? new Date(now.getTime() + (retryAfterMs || backoffMs(attempts))) : null;
    await retryWhileBusy(() =>
      prisma.outboxMessage.updateMany({
        where: { id: row.id, status: "sending" },
        data: { lastError: message.slice(0, 500), ...(retryAt ? { status: "pending", nextAttemptAt: retryAt } : { status: "failed" }) },
      }),
    );
    if (retryAt) loop.wakeAt(retryAt.getTime());
    else logger?.warn({ outboxId: row.id, channel: row.channel, attempts, error: message }, "outbox message failed for good");
    return retryAt;
  }

  function send(row: OutboxMessage, lane: Lane): void {
    lane.inFlight++;
    const message = decodeMessage(row.payload);
    lane.limiter.start(row.chatId, clock().getTime());
    const p = lane.sender
      .send(row.chatId, message)
      .finally(() => lane.limiter.finish(row.chatId, clock().getTime()))
      .then(
        (r) => markDelivered(row, r.messageId),
        async (error: unknown) => void (await markFailure(row, error, lane)),
      )
      .catch((err: unknown) => logger?.error({ err, outboxId: row.id }, "could not record an outbox result"))
      .finally(() => {
        // Wake the loop only when this request was what held it back.
        const wasFull = lane.inFlight >= lane.maxInFlight;
        lane.inFlight--;
        pending.delete(p);
        loopClaims.release(row.id);
        if (wasFull) loop.wake();
      });
    pending.add(p);
  }

  /** Claims rows by id: only rows still pending switch to "sending"; returns the claimed ids. */
  async function claim(ids: number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await prisma.$queryRawUnsafe<{ id: number | bigint }[]>(
      `UPDATE "OutboxMessage" SET "status" = 'sending', "attempts" = "attempts" + 1
       WHERE "status" = 'pending' AND "id" IN (${ids.map(() => "?").join(", ")}) RETURNING "id"`,
      ...ids,
    );
    return new Set(rows.map((r) => Number(r.id)));
  }

  /** Wakes the loop at `at`, or one tick later when `at` is unknown (slots held by requests still open). */
  function wakeAt(at: number, nowMs: number): void {
    loop.wakeAt(Number.isFinite(at) ? at : nowMs + 1000 / ticksPerSecond);
  }

  async function tickLane(channel: ChannelName, lane: Lane): Promise<number> {
    const now = clock();
    const nowMs = now.getTime();
    const room = Math.min(lane.limiter.available(nowMs), lane.perTick, lane.maxInFlight - lane.inFlight);
    if (room <= 0) {
      // Slots free one by one; a few ms of coalescing lets one tick take several.
      wakeAt(lane.limiter.nextFreeAt(nowMs) + COALESCE_MS, nowMs);
      return 0;
    }
    const take = room + 20;
    const candidates = await prisma.outboxMessage.findMany({
      where: { channel, status: "pending", nextAttemptAt: { lte: now } },
      orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
      take,
    });
    const chosen: OutboxMessage[] = [];
    const chats = new Set<string>();
    for (const row of candidates) {
      if (chosen.length >= room) break;
      if (chats.has(row.chatId)) continue;
      if (!lane.limiter.chatFree(row.chatId, nowMs)) {
        wakeAt(lane.limiter.chatNextFreeAt(row.chatId, nowMs), nowMs);
        continue;
      }
      chats.add(row.chatId);
      chosen.push(row);
    }
    const ids = chosen.map((r) => r.id);
    loopClaims.hold(ids);
    const claimed = await claim(ids).catch((err: unknown) => {
      for (const id of ids) loopClaims.release(id);
      throw err;
    });
    for (const row of chosen) {
      if (claimed.has(row.id)) send(row, lane);
      else loopClaims.release(row.id); // a reply sent at once took it
    }
    if (candidates.length > chosen.length || candidates.length === take) {
      // More is waiting: come back when the next slot frees, or next tick when this
      // tick's cap (not the rate) was what stopped us, so bursts are spread out.
      if (chosen.length >= lane.perTick) wakeAt(nowMs + 1000 / ticksPerSecond, nowMs);
      else wakeAt(lane.limiter.nextFreeAt(clock().getTime()) + COALESCE_MS, nowMs);
    }
    return claimed.size;
  }

  async function tick(): Promise<number> {
    let started = 0;
    for (const [channel, lane] of lanes) started += await tickLane(channel, lane);
    return started;
  }

  async function nextDueAt(): Promise<number | null> {
    const row = await prisma.outboxMessage.findFirst({
      where: { status: "pending", channel: { in: [...lanes.keys()] } },
      orderBy: { nextAttemptAt: "asc" },
      select: { nextAttemptAt: true },
    });
    return row ? row.nextAttemptAt.getTime() : null;
  }

  /** Sends one claimed row now; returns its retry time when it failed (null: sent, or given up). */
  async function sendNow(row: Sendable, lane: Lane): Promise<Date | null> {
    const now = clock().getTime();
    lane.limiter.start(row.chatId, now);
    try {
      const r = await lane.sender.send(row.chatId, decodeMessage(row.payload));
      lane.limiter.finish(row.chatId, clock().getTime());
      await markDelivered(row, r.messageId);
      return null;
    } catch (err) {
      lane.limiter.finish(row.chatId, clock().getTime());
      return markFailure(row, err, lane);
    }
  }

  /** Claims one row for sending now; false when the loop took it first. */
  async function claimOne(id: number): Promise<boolean> {
    return raw ? raw.claim.run(id).changes === 1 : (await claim([id])).has(id);
  }

  async function deliverNow(rows: QueuedMessage[]): Promise<void> {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const lane = lanes.get(row.channel);
      // No sender for the channel, or the platform asked us to wait (429): the loop sends it in time.
      if (!lane || lane.limiter.isPaused(clock().getTime())) return;
      let retryAt: Date | null;
      try {
        if (!(await claimOne(row.id))) {
          await loopClaims.settled(row.id); // the loop took it: its send is this reply's
          continue;
        }
        retryAt = await sendNow(row, lane);
      } catch (err) {
        if (!isDatabaseBusy(err)) logger?.error({ err, outboxId: row.id }, "outbox: could not send a reply at once");
        return;
      }
      if (retryAt) {
        // The later parts must not overtake this one.
        const later = rows.slice(i + 1).map((r) => r.id);
        await retryWhileBusy(() =>
          prisma.outboxMessage.updateMany({ where: { id: { in: later }, status: "pending", nextAttemptAt: { lt: retryAt } }, data: { nextAttemptAt: retryAt } }),
        ).catch((err: unknown) => logger?.error({ err }, "outbox: could not hold back a reply's later parts"));
        return;
      }
    }
  }

  async function recover(): Promise<number> {
    const { count } = await prisma.outboxMessage.updateMany({
      where: { status: "sending", channel: { in: [...lanes.keys()] } },
      data: { status: "pending" },
    });
    if (count > 0) {
      logger?.warn({ count }, "outbox: re-sending rows left in flight by the previous process (possible duplicates)");
    }
    return count;
  }

  return outboxWorker({
    loop,
    pending,
    async start() {
      if (loop.isRunning) return;
      const recovered = await recover();
      // A previous process may have used this second's budget just before it died: let one
      // window pass before sending, or the restart would draw a burst of 429s.
      const last = await prisma.outboxMessage.findFirst({ where: { sentAt: { not: null } }, orderBy: { sentAt: "desc" }, select: { sentAt: true } });
      const now = clock().getTime();
      const lastSent = Math.max(last?.sentAt?.getTime() ?? 0, recovered > 0 ? now : 0);
      for (const lane of lanes.values()) {
        if (now - lastSent < lane.limiter.overall.windowMs + margin) lane.limiter.pause(lastSent + lane.limiter.overall.windowMs + margin);
      }
      loop.start();
    },
    deliverNow,
    recover,
    tick,
    inFlight: () => [...lanes.values()].reduce((n, l) => n + l.inFlight, 0),
  });
}
