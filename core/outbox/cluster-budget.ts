/**
 * One platform's send budget shared by every server instance on PostgreSQL: rate-limit.ts's
 * sliding window, kept in "RateSlot" rows instead of one process's memory.
 *
 * A channel allowing `limit` messages per `windowMs` has slots 0..limit-1. A send takes a free
 * slot (holder null, freeAt passed) with FOR UPDATE SKIP LOCKED, holds it while its request is
 * open, and frees it one window (+ margin) after its response: two sends sharing a slot arrive
 * at the platform more than a window apart, so in any window at most `limit` arrive, however
 * many instances send. The per-chat limit (Telegram: 1 per second) is a slot of its own per chat,
 * row (`<channel>:<chatId>`, 0), taken with INSERT … ON CONFLICT DO UPDATE … WHERE free, which
 * checks the latest committed version of the row under its lock: two instances never both take it.
 *
 * Times are the database's clock (instances' clocks may differ), or the injected clock (tests).
 * A slot held by an instance that died is freed when its lease runs out (server-instance.ts).
 *
 *   const budget = new ClusterBudget(pool, { channel: "telegram", perSecond: 30, perChatPerSecond: 1, instanceId });
 *   await budget.ensureSlots();
 *   const slots = await budget.takeSlots(client, 3, 20);       // inside the claiming transaction: [{ slot, waitMs }]
 *   await budget.release(pool, slot, chatId);                  // after the response
 */
import type pg from "pg";
import { windowFor } from "./rate-limit.js";

export interface ClusterBudgetOptions {
  channel: string;
  perSecond: number;
  perChatPerSecond?: number;
  /** Added to every window (default 5 ms). */
  marginMs?: number;
  /** The ServerInstance holding the slots it takes. */
  instanceId: string;
  /** Budget times from this clock instead of the database's (tests with a fake clock). */
  clock?: () => Date;
}

type Queryable = Pick<pg.ClientBase, "query">;

export class ClusterBudget {
  readonly channel: string;
  readonly limit: number;
  readonly windowMs: number;
  /** One send per this many ms to one chat (undefined: no per-chat limit). */
  readonly chatWindowMs?: number;
  private readonly margin: number;
  private readonly me: string;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: ClusterBudgetOptions,
  ) {
    const w = windowFor(options.perSecond);
    this.channel = options.channel;
    this.limit = w.limit;
    this.windowMs = w.windowMs;
    if (options.perChatPerSecond) {
      const c = windowFor(options.perChatPerSecond);
      // One slot per chat: sends `window / limit` apart never put more than `limit` in a window.
      this.chatWindowMs = c.windowMs / c.limit;
    }
    this.margin = options.marginMs ?? 5;
    this.me = options.instanceId;
  }

  /** "Now" as SQL, parameter `$i` (null: the database's clock, at the statement's start or as it runs). */
  private now(i: number, live = false): string {
    return `COALESCE($${i}::timestamp, ${live ? "clock_timestamp()" : "now()"} AT TIME ZONE 'UTC')`;
  }

  private nowParam(): string | null {
    return this.options.clock ? this.options.clock().toISOString() : null;
  }

  private chatKey(chatId: string): string {
    return `${this.channel}:${chatId}`;
  }

  /** Creates the channel's slots (and removes slots beyond its limit, after a lower limit). */
  async ensureSlots(): Promise<void> {
    await this.pool.query(
      `INSERT INTO "RateSlot" ("channel", "slot", "freeAt", "holder") SELECT $1, s, TIMESTAMP '1970-01-01', NULL FROM generate_series(0, $2::int - 1) AS s
       ON CONFLICT ("channel", "slot") DO NOTHING`,
      [this.channel, this.limit],
    );
    await this.pool.query(`DELETE FROM "RateSlot" WHERE "channel" = $1 AND "slot" >= $2`, [this.channel, this.limit]);
  }

  /**
   * Takes up to `n` slots for this instance: free ones, or ones that free within `leadMs`; returns
   * each slot's number and how long its send must wait before it starts (`waitMs`, counted from
   * the database's answer, so the send starts after the slot's free time however late the answer
   * came). Taking a slot a little early lets the claim's round trips overlap the slot's last ms.
   */
  async takeSlots(db: Queryable, n: number, leadMs = 0): Promise<{ slot: number; waitMs: number }[]> {
    if (n <= 0) return [];
    const r = await db.query<{ slot: number; waitMs: number }>(
      `UPDATE "RateSlot" SET "holder" = $3 WHERE "channel" = $1 AND "slot" IN (
         SELECT "slot" FROM "RateSlot" WHERE "channel" = $1 AND "holder" IS NULL AND "freeAt" <= ${this.now(4)} + make_interval(secs => $5::double precision / 1000)
         ORDER BY "freeAt", "slot" LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING "slot", GREATEST(0, EXTRACT(EPOCH FROM ("freeAt" - ${this.now(4, true)})) * 1000)::float8 AS "waitMs"`,
      [this.channel, n, this.me, this.nowParam(), leadMs],
    );
    return r.rows.map((row) => ({ slot: row.slot, waitMs: Number(row.waitMs) }));
  }

  /** Takes the slot of each chat that may receive a message now; returns those chats. */
  async takeChats(db: Queryable, chatIds: string[]): Promise<Set<string>> {
    if (this.chatWindowMs === undefined) return new Set(chatIds);
    if (chatIds.length === 0) return new Set();
    // Sorted, so two instances lock the chats they share in one order (no deadlock).
    const keys = [...new Set(chatIds.map((c) => this.chatKey(c)))].sort();
    const r = await db.query<{ channel: string }>(
      `INSERT INTO "RateSlot" ("channel", "slot", "freeAt", "holder")
       SELECT k, 0, ${this.now(3)}, $2 FROM unnest($1::text[]) AS k ORDER BY k
       ON CONFLICT ("channel", "slot") DO UPDATE SET "holder" = EXCLUDED."holder"
       WHERE "RateSlot"."holder" IS NULL AND "RateSlot"."freeAt" <= EXCLUDED."freeAt"
       RETURNING "channel"`,
      [keys, this.me, this.nowParam()],
    );
    const prefix = this.channel.length + 1;
    return new Set(r.rows.map((row) => row.channel.slice(prefix)));
  }

  /** Gives back slots taken but not used (no send happened: their free time stays). */
  async giveBack(db: Queryable, slots: number[], chatIds: string[]): Promise<void> {
    if (slots.length === 0 && chatIds.length === 0) return;
    await db.query(
      `UPDATE "RateSlot" SET "holder" = NULL WHERE "holder" = $1 AND (("channel" = $2 AND "slot" = ANY($3::int[])) OR ("channel" = ANY($4::text[]) AND "slot" = 0))`,
      [this.me, this.channel, slots, chatIds.map((c) => this.chatKey(c))],
    );
  }

  /** Ms until the first free slot frees (0: one is free; null: all are held by open requests). */
  async nextFreeInMs(db: Queryable = this.pool): Promise<number | null> {
    const r = await db.query<{ ms: number | null }>(
      `SELECT GREATEST(0, EXTRACT(EPOCH FROM (min("freeAt") - ${this.now(2, true)})) * 1000)::float8 AS ms
       FROM "RateSlot" WHERE "channel" = $1 AND "holder" IS NULL`,
      [this.channel, this.nowParam()],
    );
    const ms = r.rows[0]?.ms;
    return ms === null || ms === undefined ? null : Number(ms);
  }

  /**
   * The send in `slot` to `chatId` got its response: the slot frees one window later, the chat's
   * one chat window later (`heldChat`: the chat's slot was taken for it; otherwise, a reply, which
   * per-chat limits do not hold back, only pushes the chat's free time on). `sinceMs`: how long ago
   * the response arrived (the window counts from then, not from this late write; the database's
   * clock runs on meanwhile, so the free time is never earlier than a window after the response).
   */
  async release(db: Queryable, slot: number, chatId: string, heldChat: boolean, sinceMs = 0): Promise<void> {
    const since = this.options.clock ? 0 : Math.max(0, sinceMs);
    const t = `(${this.now(4, true)} - make_interval(secs => ${since / 1000}))`;
    const window = (ms: number) => `make_interval(secs => ${(ms + this.margin) / 1000})`;
    const slotWindow = `${t} + CASE WHEN "channel" = $1 THEN ${window(this.windowMs)} ELSE ${window(this.chatWindowMs ?? 0)} END`;
    const params = [this.channel, this.me, this.chatKey(chatId), this.nowParam(), slot];
    if (heldChat || this.chatWindowMs === undefined) {
      await db.query(
        `UPDATE "RateSlot" SET "holder" = NULL, "freeAt" = GREATEST("freeAt", ${slotWindow})
         WHERE "holder" = $2 AND (("channel" = $1 AND "slot" = $5) OR ("channel" = $3 AND "slot" = 0))`,
        params,
      );
      return;
    }
    // A reply held no chat slot: its chat's window starts here, in the same statement (one round trip).
    await db.query(
      `WITH chat AS (
         INSERT INTO "RateSlot" ("channel", "slot", "freeAt", "holder") VALUES ($3, 0, ${t} + ${window(this.chatWindowMs)}, NULL)
         ON CONFLICT ("channel", "slot") DO UPDATE SET "freeAt" = GREATEST("RateSlot"."freeAt", EXCLUDED."freeAt"))
       UPDATE "RateSlot" SET "holder" = NULL, "freeAt" = GREATEST("freeAt", ${slotWindow}) WHERE "holder" = $2 AND "channel" = $1 AND "slot" = $5`,
      params,
    );
  }

  /** The platform said "slow down" for `ms`: no slot of the channel frees before then, on any instance. */
  async slowDown(ms: number): Promise<void> {
    await this.pool.query(
      `UPDATE "RateSlot" SET "freeAt" = GREATEST("freeAt", ${this.now(2, true)} + make_interval(secs => $3::double precision / 1000)) WHERE "channel" = $1`,
      [this.channel, this.nowParam(), ms],
    );
  }

  /** Forgets chats' slots unused for an hour. */
  async pruneChats(): Promise<number> {
    const r = await this.pool.query(
      `DELETE FROM "RateSlot" WHERE "channel" LIKE $1 AND "holder" IS NULL AND "freeAt" < ${this.now(2, true)} - INTERVAL '1 hour'`,
      [`${this.channel.replace(/[\\%_]/g, "\\$&")}:%`, this.nowParam()],
    );
    return r.rowCount ?? 0;
  }
}
