/**
 * Is the database answering? One trivial query with a short deadline, on either engine: what
 * /readyz reports, so a load balancer stops sending to an instance whose database is gone
 * (PostgreSQL down or unreachable, a pool with every connection stuck) instead of letting
 * webhooks time out.
 *
 *   const health = await databaseHealth(store);   // { ok: true } | { ok: false, reason: "..." }
 */
import type { Store } from "./store.js";

export type DatabaseHealth = { ok: true } | { ok: false; reason: string };

/** How long /readyz waits for the database before calling it unavailable. */
export const HEALTH_TIMEOUT_MS = 2_000;

export async function databaseHealth(store: Store, timeoutMs = HEALTH_TIMEOUT_MS): Promise<DatabaseHealth> {
  const query =
    store.engine === "postgresql"
      ? store.pg.query("SELECT 1").then(() => undefined)
      : Promise.resolve().then(() => void store.sqlite.prepare("SELECT 1").get());
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([query, deadline]);
    return { ok: true };
  } catch (err) {
    // A query that answers after the deadline must not become an unhandled rejection.
    query.catch(() => undefined);
    return { ok: false, reason: `${store.engine}: ${(err as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}
