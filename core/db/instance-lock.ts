/**
 * One server per DATA_DIR. Two servers on one SQLite store would each run the outbox
 * at the full rate limit (twice the platform's limit together) and recover each
 * other's work in flight, so the second one refuses to start and names the first.
 *
 * The lock is an SQLite write lock on `<DATA_DIR>/server.lock`, held open for the life
 * of the process: the operating system releases it when the process ends, however it
 * ends (kill -9 included), so a dead server never blocks a restart and no pid is ever
 * guessed stale. The holder's pid is committed in the same file for the message.
 * Command-line tools (ingest, admin, ask) do not take it: they share the store safely.
 *
 *   const lock = acquireInstanceLock(config.DATA_DIR); // throws InstanceLockedError
 *   ...
 *   lock.release();
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { isDatabaseBusy } from "./busy.js";

/** Another live process holds the lock. */
export class InstanceLockedError extends Error {
  constructor(
    readonly dataDir: string,
    /** The holder's pid, when it could be read. */
    readonly pid: number | undefined,
  ) {
    super(
      `Another server (pid ${pid ?? "unknown"}) is already running on DATA_DIR ${dataDir}. ` +
        `Stop it first, or give this one its own DATA_DIR: two servers on one SQLite store would send twice the platforms' rate limits.`,
    );
    this.name = "InstanceLockedError";
  }
}

export interface InstanceLock {
  readonly file: string;
  release(): void;
}

/** Takes the lock on `dataDir` for this process, or throws InstanceLockedError naming the holder. */
export function acquireInstanceLock(dataDir: string): InstanceLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "server.lock");
  const db = new Database(file);
  try {
    db.pragma("busy_timeout = 0");
    db.exec(`CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, startedAt TEXT NOT NULL)`);
    // Taking the write lock decides; only then is the pid recorded, and the lock taken again for good.
    db.exec("BEGIN IMMEDIATE");
    db.exec("DELETE FROM holder");
    db.prepare("INSERT INTO holder (pid, startedAt) VALUES (?, ?)").run(process.pid, new Date().toISOString());
    db.exec("COMMIT");
    db.exec("BEGIN IMMEDIATE");
  } catch (err) {
    if (!isDatabaseBusy(err)) {
      db.close();
      throw err;
    }
    const pid = readHolder(db);
    db.close();
    throw new InstanceLockedError(path.resolve(dataDir), pid);
  }
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      db.exec("ROLLBACK");
      db.close();
    },
  };
}

/** The pid committed by the holder (readers are not blocked by its write lock). */
function readHolder(db: Database.Database): number | undefined {
  try {
    const row = db.prepare("SELECT pid FROM holder").get() as { pid: number } | undefined;
    // Two servers starting at the same instant may both record their pid before one wins.
    return row?.pid === process.pid ? undefined : row?.pid;
  } catch {
    return undefined;
  }
}
