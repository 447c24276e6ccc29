/**
 * Scheduled work that must run once cluster-wide (meeting reminders, deadline reminders,
 * retention pruning): each pass of a job runs under the job's lock, and an instance that finds
 * the lock taken skips its pass, since the holder is doing the same work right now.
 *
 * - SQLite: one server per database (the instance lock, core/db/instance-lock.ts), so a pass
 *   simply runs.
 * - PostgreSQL: a session advisory lock per job (`pg_try_advisory_lock` on a key hashed from the
 *   job's name), held on one pooled connection for the pass. Rows a pass handles are marked done
 *   inside it (a reminder "sent"), so the next holder, on any instance, finds nothing left to do.
 *   An instance killed mid-pass loses its connection and with it the lock: nothing stays claimed.
 *
 *   const jobs = clusterJobs(store);
 *   const n = await jobs.exclusive("meeting reminders", () => processDueReminders(ctx)); // undefined: another instance runs it
 */
import type pg from "pg";
import type { Store } from "./store.js";

export interface ClusterJobs {
  /** Runs `work` unless another instance is running the same job; undefined when skipped. */
  exclusive<T>(job: string, work: () => Promise<T>): Promise<T | undefined>;
}

/** Every pass runs: for one server on its own database (SQLite), and in tests. */
export const singleInstanceJobs: ClusterJobs = { exclusive: (_job, work) => work() };

/** The jobs' locks on the store's engine. */
export function clusterJobs(store: Pick<Store, "engine"> & { pg?: pg.Pool }): ClusterJobs {
  return store.engine === "postgresql" && store.pg ? advisoryLockJobs(store.pg) : singleInstanceJobs;
}

/** Advisory lock keys live in one namespace per database: ours are prefixed so they never meet another application's. */
const lockKeyOf = (job: string) => `sotay.job:${job}`;

/** Cluster-wide job locks on PostgreSQL (see the module comment). */
export function advisoryLockJobs(pool: pg.Pool): ClusterJobs {
  return {
    async exclusive(job, work) {
      const client = await pool.connect();
      let locked = false;
      // A connection whose unlock failed is closed rather than reused, so the lock goes with it.
      let broken: Error | undefined;
      try {
        const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked", [lockKeyOf(job)]);
        locked = rows[0]!.locked;
        if (!locked) return undefined;
        return await work();
      } finally {
        if (locked) {
          await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [lockKeyOf(job)]).catch((err: Error) => (broken = err));
        }
        client.release(broken);
      }
    },
  };
}
