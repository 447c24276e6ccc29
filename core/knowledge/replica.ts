/**
 * The knowledge on PostgreSQL: the database holds the documents, passages, sections, attached
 * questions and replacement declarations; each instance searches its own copy of them, the
 * SQLite file `store.sqlite` (DATA_DIR/knowledge.db) with the local-only indexes (FTS5 rows, the
 * vector file). This module keeps that copy in step, with the same ids on both sides:
 *
 * - pull: brings the local copy to PostgreSQL's state (replica-rows.ts says what differs) and
 *   indexes what came with the knowledge base's own code (KnowledgeBase.applyCopied). Idempotent:
 *   a pull cut short leaves a copy the next pull completes.
 * - publish: every write to the knowledge runs under an exclusive advisory lock: pull, write
 *   locally with the existing code, copy what changed to PostgreSQL in one transaction (ids kept,
 *   sequences advanced), bump KnowledgeVersion and NOTIFY the other instances (replica-follower.ts).
 *   Pulls take the lock shared, so they never read half a publish.
 *
 * On SQLite none of this exists (knowledgeReplica returns undefined): the store is the knowledge.
 *
 *   const replica = knowledgeReplica(store, logger, heldKnowledge(kb));
 *   await replica?.pull();
 *   const writer = publishedKnowledge(kb, replica);  // kb itself on SQLite
 *   await writer.upsert(doc);                         // reaches every instance within seconds
 */
import type Database from "better-sqlite3";
import type pg from "pg";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Store } from "../db/store.js";
import { KnowledgeBase } from "./knowledge-base.js";
import {
  advanceLocalSequences,
  advanceRemoteSequences,
  describeChanges,
  diffSnapshots,
  isUnchanged,
  localSnapshot,
  pullSteps,
  pushChanges,
  remoteSequences,
  remoteSnapshot,
} from "./replica-rows.js";

/** The channel a publish NOTIFYs (payload: the new KnowledgeVersion). */
export const KNOWLEDGE_CHANNEL = "sotay_knowledge";

/** The advisory lock of the knowledge: exclusive to publish, shared to pull ("KNOW"). */
export const KNOWLEDGE_LOCK = 0x4b4e4f57;

/**
 * How the replica reaches a knowledge base to index what it pulls: one held open (the ingest
 * CLI, the server at start-up), or one opened for the pull and closed after (the server's
 * follower: searches run in threads, the main thread keeps no indexes in memory).
 */
export type KnowledgeAccess = <T>(use: (kb: KnowledgeBase) => Promise<T>) => Promise<T>;

export function heldKnowledge(kb: KnowledgeBase): KnowledgeAccess {
  return (use) => use(kb);
}

export function knowledgeOpenedPerUse(config: Config, logger: Logger, store: Store): KnowledgeAccess {
  return async (use) => {
    const kb = await KnowledgeBase.open(config, { logger, store });
    try {
      return await use(kb);
    } finally {
      await kb.close();
    }
  };
}

export interface PullResult {
  /** PostgreSQL's KnowledgeVersion the local copy now holds. */
  version: number;
  /** False when the copy already held it. */
  changed: boolean;
  ms: number;
}

export class KnowledgeReplica {
  /** PostgreSQL's KnowledgeVersion the local copy last matched (-1: not yet). */
  private pulledVersion = -1;
  /** Pulls and publishes of this process one at a time (they write the same local copy). */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pool: pg.Pool,
    private readonly db: Database.Database,
    private readonly logger: Logger,
    private readonly knowledge: KnowledgeAccess,
  ) {}

  /** The version of the last pull or publish of this process. */
  get version(): number {
    return this.pulledVersion;
  }

  /** PostgreSQL's current KnowledgeVersion. */
  async remoteVersion(): Promise<number> {
    const { rows } = await this.pool.query<{ version: number }>(`SELECT "version" FROM "KnowledgeVersion" WHERE "id" = 1`);
    return rows[0]?.version ?? 0;
  }

  /**
   * Brings the local copy to PostgreSQL's state. A server's follower pulls with the lock shared
   * (instances pull at once, each into its own DATA_DIR); a process that may share the local copy
   * with a running server (the ingest CLI, a server starting) pulls `exclusive`, so two processes
   * never copy into one file at once.
   */
  pull(options: { exclusive?: boolean } = {}): Promise<PullResult> {
    const mode = options.exclusive ? "" : "_shared";
    return this.serialised(async () => {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await client.query(`SELECT pg_advisory_lock${mode}($1)`, [KNOWLEDGE_LOCK]);
        try {
          return await this.pullOn(client);
        } finally {
          await client.query(`SELECT pg_advisory_unlock${mode}($1)`, [KNOWLEDGE_LOCK]);
        }
      } catch (err) {
        broken = err as Error;
        throw err;
      } finally {
        client.release(broken); // a broken connection is closed, and its locks go with it
      }
    });
  }

  /**
   * Runs `write` (a write to the local copy with the existing code) as a write to the whole
   * cluster: see the module comment. What `write` changed is published even when it then throws.
   */
  publish<T>(write: () => Promise<T>): Promise<T> {
    return this.serialised(async () => {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await client.query(`SELECT pg_advisory_lock($1)`, [KNOWLEDGE_LOCK]);
        try {
          await this.pullOn(client);
          let result: T;
          try {
            result = await write();
          } finally {
            await this.pushOn(client);
          }
          return result;
        } finally {
          await client.query(`SELECT pg_advisory_unlock($1)`, [KNOWLEDGE_LOCK]);
        }
      } catch (err) {
        broken = err instanceof Error && isConnectionError(err) ? err : undefined;
        throw err;
      } finally {
        client.release(broken);
      }
    });
  }

  /** The pull itself, on a connection holding the lock (shared or exclusive). */
  private async pullOn(client: pg.PoolClient): Promise<PullResult> {
    const started = Date.now();
    await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`);
    try {
      const { rows } = await client.query<{ version: number }>(`SELECT "version" FROM "KnowledgeVersion" WHERE "id" = 1`);
      const version = rows[0]?.version ?? 0;
      if (version === this.pulledVersion) {
        // Nothing published since this process last matched the database (the check a publish starts with).
        await client.query(`COMMIT`);
        return { version, changed: false, ms: Date.now() - started };
      }
      const changes = diffSnapshots(await remoteSnapshot(client), localSnapshot(this.db));
      const changed = !isUnchanged(changes);
      if (changed) await this.knowledge((kb) => kb.applyCopied(pullSteps(client, changes)));
      advanceLocalSequences(this.db, await remoteSequences(client));
      await client.query(`COMMIT`);
      const ms = Date.now() - started;
      if (changed || version !== this.pulledVersion) {
        // The line the cluster benchmark waits for (bench/cluster.ts): this instance now answers from `version`.
        this.logger.info({ version, ms, ...(changed ? describeChanges(changes) : {}) }, "knowledge: pulled");
      }
      this.pulledVersion = version;
      return { version, changed, ms };
    } catch (err) {
      await client.query(`ROLLBACK`).catch(() => undefined);
      throw err;
    }
  }

  /** Copies what the local copy has and PostgreSQL lacks, in one transaction; NOTIFYs when anything changed. */
  private async pushOn(client: pg.PoolClient): Promise<void> {
    await client.query(`BEGIN`);
    try {
      const changes = diffSnapshots(localSnapshot(this.db), await remoteSnapshot(client));
      if (isUnchanged(changes)) {
        await client.query(`COMMIT`);
        return;
      }
      await pushChanges(client, this.db, changes);
      await advanceRemoteSequences(client, this.db);
      const { rows } = await client.query<{ version: number }>(`UPDATE "KnowledgeVersion" SET "version" = "version" + 1 WHERE "id" = 1 RETURNING "version"`);
      const version = rows[0]!.version;
      await client.query(`SELECT pg_notify($1, $2)`, [KNOWLEDGE_CHANNEL, String(version)]);
      await client.query(`COMMIT`);
      this.pulledVersion = version;
      this.logger.info({ version, ...describeChanges(changes) }, "knowledge: published");
    } catch (err) {
      await client.query(`ROLLBACK`).catch(() => undefined);
      throw err;
    }
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

function isConnectionError(err: Error): boolean {
  return /Connection terminated|ECONNRESET|ECONNREFUSED|not queryable/i.test(err.message);
}

/** The replica of a PostgreSQL store; undefined on SQLite (the store is the knowledge). */
export function knowledgeReplica(store: Store, logger: Logger, knowledge: KnowledgeAccess): KnowledgeReplica | undefined {
  return store.engine === "postgresql" ? new KnowledgeReplica(store.pg, store.sqlite, logger, knowledge) : undefined;
}

/**
 * Runs a write to the local copy (one without a knowledge base at hand: `npm run admin -- teach`,
 * `npm run ingest -- --replaces`) as a publish on PostgreSQL; as it is on SQLite.
 */
export function writeKnowledge<T>(store: Store, config: Config, logger: Logger, write: () => Promise<T>): Promise<T> {
  const replica = knowledgeReplica(store, logger, knowledgeOpenedPerUse(config, logger, store));
  return replica ? replica.publish(write) : write();
}

/** The knowledge base's writes, as the ingest pipeline, the server and the CLIs call them. */
export type KnowledgeWrites = Pick<KnowledgeBase, "storedHash" | "list" | "upsert" | "upsertAll" | "remove" | "syncQuestions" | "teach" | "learnPick">;

/** `kb` with each write published through `replica` (one publish per call); `kb` itself without a replica. */
export function publishedKnowledge(kb: KnowledgeBase, replica: KnowledgeReplica | undefined): KnowledgeWrites {
  if (!replica) return kb;
  return {
    storedHash: (source) => kb.storedHash(source),
    list: () => kb.list(),
    upsert: (doc, options) => replica.publish(() => kb.upsert(doc, options)),
    upsertAll: (docs) => replica.publish(() => kb.upsertAll(docs)),
    remove: (source) => replica.publish(() => kb.remove(source)),
    syncQuestions: (files) => replica.publish(() => kb.syncQuestions(files)),
    teach: (question, document, section) => replica.publish(() => kb.teach(question, document, section)),
    learnPick: (question, passageId) => replica.publish(() => kb.learnPick(question, passageId)),
  };
}
