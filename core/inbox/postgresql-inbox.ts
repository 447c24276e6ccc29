/**
 * The inbox on PostgreSQL (see inbox.ts for the contract), shared by every server instance:
 *
 * - `store` inserts with ON CONFLICT ("channel", "updateKey") DO NOTHING, so a redelivery to any
 *   instance is recognised; the row is claimed at once by the instance that stored it
 *   (`claimedBy`), which processes it. Updates arriving in one event-loop turn share one INSERT
 *   (one commit, which PostgreSQL makes durable before it answers).
 * - `pending` claims unclaimed pending rows (and returns this instance's own) with
 *   FOR UPDATE SKIP LOCKED: two instances never take one row. Rows are unclaimed when their
 *   instance stops (hand-back) or dies (its lease runs out): core/cluster/server-instance.ts.
 * - `complete` queues the replies in the outbox and marks the row done in one statement.
 *
 * Updates of one chat keep their order on the instance that holds them; a chat whose updates
 * reach two instances at once (a load balancer without affinity) may see them processed side
 * by side, as two members writing at once would.
 */
import type pg from "pg";
import type { ChannelName } from "../conversation/types.js";
import { queueStatement, type QueuedMessage } from "../outbox/outbox.js";
import { InboxUnavailableError, type Inbox, type InboxRow, type NewUpdate } from "./types.js";

interface Waiting {
  update: NewUpdate;
  giveUpAt: number;
  resolve(row: InboxRow | null): void;
  reject(err: unknown): void;
}

const WRITABLE_TIMEOUT_MS = 1000;

const COLUMNS = `"id", "channel", "updateKey", "chatKey", "payload", "attempts", "nextAttemptAt", "receivedAt"`;

export interface PostgresqlInboxOptions {
  clock?: () => Date;
  /** The instance that claims what it stores and adopts (null: rows are left for any instance). */
  instanceId: string | null;
}

/** Opens the inbox over the shared database (the pool stays the store's). */
export function openPostgresqlInbox(pool: pg.Pool, options: PostgresqlInboxOptions): Inbox {
  const clock = options.clock ?? (() => new Date());
  const me = options.instanceId;
  let waiting: Waiting[] = [];
  let flushScheduled = false;
  let closed = false;

  async function insertBatch(batch: Waiting[], now: Date): Promise<void> {
    const r = await pool.query<{ id: number; channel: string; updateKey: string }>(
      `INSERT INTO "InboxUpdate" ("channel", "updateKey", "chatKey", "payload", "status", "attempts", "nextAttemptAt", "receivedAt", "claimedBy")
       SELECT c, k, ch, p, 'pending', 0, $5::timestamp, $5::timestamp, $6 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS t(c, k, ch, p, i)
       ORDER BY i
       ON CONFLICT ("channel", "updateKey") DO NOTHING RETURNING "id", "channel", "updateKey"`,
      [
        batch.map((w) => w.update.channel),
        batch.map((w) => w.update.updateKey),
        batch.map((w) => w.update.chatKey),
        batch.map((w) => JSON.stringify(w.update.payload)),
        now.toISOString(),
        me,
      ],
    );
    const ids = new Map(r.rows.map((row) => [`${row.channel}\u0000${row.updateKey}`, Number(row.id)]));
    for (const w of batch) {
      const u = w.update;
      const key = `${u.channel}\u0000${u.updateKey}`;
      const id = ids.get(key);
      ids.delete(key); // the same update twice in one batch: the second is the redelivery
      if (id === undefined) w.resolve(null);
      else w.resolve({ id, channel: u.channel, updateKey: u.updateKey, chatKey: u.chatKey, payload: JSON.stringify(u.payload), attempts: 0, nextAttemptAt: now, receivedAt: now });
    }
  }

  function flush(): void {
    flushScheduled = false;
    const batch = waiting;
    waiting = [];
    if (batch.length === 0) return;
    const now = clock();
    // Past its deadline an update is refused (503: the platform delivers it again); the insert may
    // still commit, and the redelivery is then recognised while the row is processed here.
    const stopDeadlines = refuseWhenLate(batch);
    insertBatch(batch, now)
      .catch((err: unknown) => {
        for (const w of batch) w.reject(new InboxUnavailableError(err));
      })
      .finally(stopDeadlines);
  }

  /**
   * Rejects each waiter of the batch at its own deadline. A timer may fire a millisecond before
   * Date.now() reaches the deadline (the two clocks round apart), so it is armed again for what is
   * not yet late: once a webhook answered 200 after the insert's 3 s instead of 503 at 2 s.
   */
  function refuseWhenLate(batch: Waiting[]): () => void {
    const open = new Set(batch.filter((w) => Number.isFinite(w.giveUpAt)));
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      if (open.size === 0) return;
      const next = Math.min(...[...open].map((w) => w.giveUpAt));
      timer = setTimeout(() => {
        for (const w of open) {
          if (Date.now() < w.giveUpAt) continue;
          open.delete(w);
          w.reject(new InboxUnavailableError("the database did not answer in time"));
        }
        arm();
      }, Math.max(0, next - Date.now()));
    };
    arm();
    return () => {
      open.clear();
      clearTimeout(timer);
    };
  }

  return {
    store(update, options = {}) {
      if (closed) return Promise.reject(new InboxUnavailableError("the inbox is closed"));
      return new Promise<InboxRow | null>((resolve, reject) => {
        waiting.push({ update, giveUpAt: Date.now() + (options.deadlineMs ?? Infinity), resolve, reject });
        if (!flushScheduled) {
          flushScheduled = true;
          setImmediate(flush);
        }
      });
    },
    async complete(row, replies) {
      // One statement, so atomic without a transaction's extra round trips: the replies queued and the update marked done.
      const now = clock();
      const done = (at: string, id: string) =>
        `UPDATE "InboxUpdate" SET "status" = 'done', "payload" = NULL, "lastError" = NULL, "processedAt" = ${at}::timestamp, "claimedBy" = NULL WHERE "id" = ${id}`;
      if (replies.length === 0) {
        await pool.query(done("$1", "$2"), [now.toISOString(), row.id]);
        return [];
      }
      return (await pool.query<QueuedMessage>(queueStatement(replies, now, { cte: `done AS (${done("$5", "$8")})`, values: [row.id] }))).rows;
    },
    async fail(row, error, retryAt) {
      await pool.query(
        `UPDATE "InboxUpdate" SET "attempts" = $1, "lastError" = $2, "status" = $3, "nextAttemptAt" = $4::timestamp,
           "claimedBy" = CASE WHEN $3 = 'pending' THEN "claimedBy" END
         WHERE "id" = $5 AND "status" = 'pending'`,
        [row.attempts, error.slice(0, 500), retryAt ? "pending" : "failed", (retryAt ?? clock()).toISOString(), row.id],
      );
    },
    async pending(limit, channels?: readonly ChannelName[]) {
      const list = channels ? [...channels] : null;
      // The rows this instance holds already (read, not locked), then unclaimed ones adopted up to the limit.
      const mine = me
        ? (
            await pool.query<InboxRow>(
              `SELECT ${COLUMNS} FROM "InboxUpdate" WHERE "status" = 'pending' AND "claimedBy" = $1 AND ($2::text[] IS NULL OR "channel" = ANY($2::text[]))
               ORDER BY "id" LIMIT $3`,
              [me, list, limit],
            )
          ).rows
        : [];
      if (mine.length >= limit) return mine;
      const adopted = await pool.query<InboxRow>(
        `UPDATE "InboxUpdate" SET "claimedBy" = $1 WHERE "id" IN (
           SELECT "id" FROM "InboxUpdate"
           WHERE "status" = 'pending' AND "claimedBy" IS NULL AND ($2::text[] IS NULL OR "channel" = ANY($2::text[]))
           ORDER BY "id" LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING ${COLUMNS}`,
        [me, list, limit - mine.length],
      );
      return [...mine, ...adopted.rows].sort((a, b) => a.id - b.id);
    },
    async writable() {
      // A database that does not answer within a second is as good as down (/readyz must not hang on it).
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), WRITABLE_TIMEOUT_MS)));
      const probe = pool.query<{ recovery: boolean }>(`SELECT pg_is_in_recovery() AS recovery`).then(
        (r) => r.rows[0]?.recovery === false,
        () => false,
      );
      try {
        return await Promise.race([probe, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async prune(days) {
      const r = await pool.query(`DELETE FROM "InboxUpdate" WHERE "status" IN ('done', 'failed') AND "receivedAt" < $1::timestamp`, [
        new Date(clock().getTime() - days * 86_400_000).toISOString(),
      ]);
      return r.rowCount ?? 0;
    },
    close() {
      closed = true;
      for (const w of waiting.splice(0)) w.reject(new InboxUnavailableError("the inbox is closed"));
    },
  };
}
