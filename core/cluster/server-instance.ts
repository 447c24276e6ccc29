/**
 * A running server in a cluster on PostgreSQL: its row in "ServerInstance", kept alive by a
 * heartbeat. Shared work claimed by an instance (inbox updates, outbox messages in "sending",
 * send-budget slots) names it in `claimedBy` / `holder`, so:
 *
 * - an instance whose heartbeat is older than the lease (kill -9, a lost machine) loses its
 *   row and its claims to the others, which look for such instances at every heartbeat;
 * - a clean shutdown (`close()`, after the services have stopped) hands its claims back at once
 *   and deletes its row.
 *
 * Time is the database's clock, so instances on machines whose clocks differ agree on leases.
 * An instance that was declared dead and comes back (a long pause) registers again; work it had
 * claimed may then be done twice, the at-least-once window of a lease exceeded.
 *
 *   const instance = createServerInstance(store.pg, { logger });
 *   await instance.start();   // registers, heartbeats every 3 s, takes over stale instances' claims
 *   instance.id               // what claims name
 *   await instance.close();   // hands claims back, deletes the row
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import type pg from "pg";
import type { Logger } from "../logger.js";

export interface ServerInstanceOptions {
  /** A heartbeat older than this loses the instance's claims (default 15 s). */
  leaseMs?: number;
  /** Heartbeat period (default 3 s). */
  heartbeatMs?: number;
  logger?: Logger;
}

/** What a hand-back or take-over released. */
export interface ReleasedClaims {
  instances: number;
  updates: number;
  messages: number;
  slots: number;
}

export interface ServerInstance {
  /** Random, unique per process start: what claims name. */
  readonly id: string;
  /** Registers the row and starts the heartbeat (which also takes over stale instances' claims). */
  start(): Promise<void>;
  /** One heartbeat now (the timer calls it). */
  heartbeat(): Promise<void>;
  /** Takes back the claims of instances whose heartbeat is older than the lease; returns what it released. */
  reclaimStale(): Promise<ReleasedClaims>;
  /** Stops the heartbeat, hands this instance's claims back and deletes its row. */
  close(): Promise<ReleasedClaims>;
}

const NOW = `(clock_timestamp() AT TIME ZONE 'UTC')`;

/**
 * Deletes the instances the CTE `gone` names and releases their claims, in one statement: pending
 * inbox updates are unclaimed (anyone adopts them), outbox rows in flight go back to "pending"
 * (sent again: at-least-once), budget slots are freed (their requests started a lease ago at least,
 * or have ended: a clean close waits for them).
 */
function releaseSql(gone: string): string {
  return `WITH ${gone},
    u AS (UPDATE "InboxUpdate" SET "claimedBy" = NULL WHERE "status" = 'pending' AND "claimedBy" IN (SELECT "id" FROM gone) RETURNING 1),
    m AS (UPDATE "OutboxMessage" SET "status" = 'pending', "claimedBy" = NULL WHERE "status" = 'sending' AND "claimedBy" IN (SELECT "id" FROM gone) RETURNING 1),
    s AS (UPDATE "RateSlot" SET "holder" = NULL WHERE "holder" IN (SELECT "id" FROM gone) RETURNING 1)
  SELECT (SELECT count(*) FROM gone) AS instances, (SELECT count(*) FROM u) AS updates,
         (SELECT count(*) FROM m) AS messages, (SELECT count(*) FROM s) AS slots`;
}

function released(row: Record<string, unknown> | undefined): ReleasedClaims {
  return { instances: Number(row?.instances ?? 0), updates: Number(row?.updates ?? 0), messages: Number(row?.messages ?? 0), slots: Number(row?.slots ?? 0) };
}

/** Creates (but does not register) this process's instance. */
export function createServerInstance(pool: pg.Pool, options: ServerInstanceOptions = {}): ServerInstance {
  const leaseMs = options.leaseMs ?? 15_000;
  const heartbeatMs = options.heartbeatMs ?? 3_000;
  const logger = options.logger;
  const id = randomUUID();
  let timer: NodeJS.Timeout | undefined;
  let beating: Promise<void> | null = null;
  let closed = false;

  async function register(): Promise<void> {
    await pool.query(
      `INSERT INTO "ServerInstance" ("id", "host", "pid", "startedAt", "heartbeatAt") VALUES ($1, $2, $3, ${NOW}, ${NOW})
       ON CONFLICT ("id") DO UPDATE SET "heartbeatAt" = EXCLUDED."heartbeatAt"`,
      [id, os.hostname(), process.pid],
    );
  }

  async function reclaimStale(): Promise<ReleasedClaims> {
    const r = await pool.query(releaseSql(`gone AS (DELETE FROM "ServerInstance" WHERE "heartbeatAt" < ${NOW} - make_interval(secs => $1::double precision / 1000) AND "id" <> $2 RETURNING "id")`), [leaseMs, id]);
    const out = released(r.rows[0]);
    if (out.instances > 0) logger?.warn(out, "cluster: took over the claims of server instances whose heartbeat stopped");
    return out;
  }

  async function heartbeat(): Promise<void> {
    const r = await pool.query(`UPDATE "ServerInstance" SET "heartbeatAt" = ${NOW} WHERE "id" = $1`, [id]);
    if (r.rowCount === 0 && !closed) {
      logger?.warn({ instance: id }, "cluster: this instance was declared dead (heartbeat late by more than the lease); registering again");
      await register();
    }
    await reclaimStale();
  }

  function beat(): void {
    if (beating || closed) return;
    beating = heartbeat()
      .catch((err: unknown) => logger?.warn({ err }, "cluster: heartbeat failed; retrying"))
      .finally(() => (beating = null));
  }

  return {
    id,
    async start() {
      await register();
      await reclaimStale();
      timer = setInterval(beat, heartbeatMs);
      timer.unref();
      logger?.info({ instance: id, leaseMs }, "cluster: server instance registered");
    },
    heartbeat,
    reclaimStale,
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await beating;
      // Its own claims go back even when its row is gone already (declared dead meanwhile).
      const r = await pool.query(releaseSql(`me AS (DELETE FROM "ServerInstance" WHERE "id" = $1), gone AS (SELECT $1::text AS "id")`), [id]);
      const out = released(r.rows[0]);
      logger?.info({ instance: id, ...out }, "cluster: server instance left; its claims are handed back");
      return out;
    },
  };
}
