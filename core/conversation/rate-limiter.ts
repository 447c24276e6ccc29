/**
 * Per-user question limit over a sliding minute, in memory (one process serves all
 * channels; a restart forgetting the window is harmless).
 *
 *   const limiter = createRateLimiter({ perMinute: 20 });
 *   const verdict = limiter.take("telegram:42"); // { ok: true } or { ok: false, retryAfterSeconds: 13 }
 */

export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one event for `key` if allowed. */
  take(key: string): RateVerdict;
}

export interface RateLimiterOptions {
  perMinute: number;
  /** Clock in milliseconds (tests pass their own). */
  now?: () => number;
}

const WINDOW_MS = 60_000;

/** A sliding-window limiter: at most `perMinute` events per key in any 60 s. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const events = new Map<string, number[]>();
  let lastSweep = now();

  function sweep(t: number): void {
    // Forget idle users now and then so the map does not grow without bound.
    if (t - lastSweep < WINDOW_MS) return;
    lastSweep = t;
    for (const [key, times] of events) {
      if (times.length === 0 || times[times.length - 1]! <= t - WINDOW_MS) events.delete(key);
    }
  }

  return {
    take(key) {
      const t = now();
      sweep(t);
      const times = (events.get(key) ?? []).filter((x) => x > t - WINDOW_MS);
      if (times.length >= options.perMinute) {
        events.set(key, times);
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((times[0]! + WINDOW_MS - t) / 1000)) };
      }
      times.push(t);
      events.set(key, times);
      return { ok: true };
    },
  };
}
