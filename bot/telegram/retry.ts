/**
 * A grammY API transformer that waits out 429 "Too Many Requests" (Telegram's
 * `parameters.retry_after`) and tries again, for the bot's own calls (replies, typing,
 * callback answers). The outbox uses a sender without it: it reschedules instead of waiting.
 *
 *   bot.api.config.use(autoRetry({ maxAttempts: 3, maxDelaySeconds: 30 }));
 */
import type { Transformer } from "grammy";

export interface AutoRetryOptions {
  /** Total attempts including the first; default 3. */
  maxAttempts?: number;
  /** A longer retry_after is not waited for (the error goes to the caller); default 30. */
  maxDelaySeconds?: number;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
}

/** Creates the retrying transformer. */
export function autoRetry(options: AutoRetryOptions = {}): Transformer {
  const maxAttempts = options.maxAttempts ?? 3;
  const maxDelay = options.maxDelaySeconds ?? 30;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return async (prev, method, payload, signal) => {
    for (let attempt = 1; ; attempt++) {
      const res = await prev(method, payload, signal);
      if (res.ok || res.error_code !== 429 || attempt >= maxAttempts) return res;
      const wait = res.parameters?.retry_after ?? 1;
      if (wait > maxDelay) return res;
      await sleep(wait * 1000);
    }
  };
}
