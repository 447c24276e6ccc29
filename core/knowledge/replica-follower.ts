/**
 * A server instance follows the knowledge other instances publish (replica.ts): it LISTENs on
 * KNOWLEDGE_CHANNEL and pulls when told, and polls PostgreSQL's KnowledgeVersion every few
 * seconds too, so a lost connection (or a notification missed while reconnecting) delays an
 * ingest by one poll, never forever. Pulls run one at a time; news during a pull pulls again.
 *
 *   const follower = followKnowledge({ pool: store.pg, replica, logger });
 *   await follower.stop();
 */
import type pg from "pg";
import type { Logger } from "pino";
import { KNOWLEDGE_CHANNEL, type KnowledgeReplica } from "./replica.js";

/** How often the version row is read when no notification came. */
export const KNOWLEDGE_POLL_MS = 5000;

export interface FollowOptions {
  pool: pg.Pool;
  replica: KnowledgeReplica;
  logger: Logger;
  pollMs?: number;
  /** Listen for notifications (default true; false leaves only the polling, as after a lost connection). */
  listen?: boolean;
}

export interface KnowledgeFollower {
  /** Resolves once the follower listens (or has given up listening and polls). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export function followKnowledge(options: FollowOptions): KnowledgeFollower {
  const { pool, replica, logger } = options;
  const pollMs = options.pollMs ?? KNOWLEDGE_POLL_MS;
  let stopped = false;
  let pulling: Promise<void> | undefined;
  let again = false;
  let listener: pg.PoolClient | undefined;
  let reconnect: NodeJS.Timeout | undefined;

  const pull = (): void => {
    if (stopped) return;
    if (pulling) {
      again = true;
      return;
    }
    pulling = (async () => {
      do {
        again = false;
        try {
          await replica.pull();
        } catch (err) {
          logger.warn({ err: (err as Error).message }, "knowledge: pull failed; the next poll tries again");
        }
      } while (again && !stopped);
    })().finally(() => (pulling = undefined));
  };

  const poll = setInterval(() => {
    replica.remoteVersion().then(
      (version) => {
        if (version !== replica.version) pull();
      },
      (err: Error) => logger.warn({ err: err.message }, "knowledge: cannot read the knowledge version"),
    );
  }, pollMs);
  poll.unref();

  const listen = async (): Promise<void> => {
    if (stopped || options.listen === false) return;
    try {
      const client = await pool.connect();
      listener = client;
      client.on("notification", (n) => {
        if (n.channel === KNOWLEDGE_CHANNEL && Number(n.payload) !== replica.version) pull();
      });
      client.on("error", (err) => {
        logger.warn({ err: err.message }, "knowledge: the LISTEN connection failed; polling until it is back");
        client.release(err);
        if (listener === client) listener = undefined;
        if (!stopped) reconnect = setTimeout(() => void listen(), pollMs);
      });
      await client.query(`LISTEN ${KNOWLEDGE_CHANNEL}`);
      pull(); // what was published before we listened
    } catch (err) {
      logger.warn({ err: (err as Error).message }, "knowledge: cannot LISTEN; polling until it can");
      if (!stopped) reconnect = setTimeout(() => void listen(), pollMs);
    }
  };
  const ready = listen();

  return {
    ready,
    async stop() {
      stopped = true;
      clearInterval(poll);
      clearTimeout(reconnect);
      await ready;
      const client = listener;
      listener = undefined;
      if (client) {
        await client.query(`UNLISTEN ${KNOWLEDGE_CHANNEL}`).catch(() => undefined);
        client.release();
      }
      await pulling;
    },
  };
}
