/**
 * A grammY API transformer that waits out 429 "Too Many Requests" (Telegram's
 * `parameters.retry_after`) and tries again, for the bot's own calls (replies, typing,
 * callback answers): 3 attempts at most, and a retry_after over 30 s is not waited for
 * (the error goes to the caller). The outbox uses a sender without it: it reschedules
 * instead of waiting.
 *
 *   bot.api.config.use(autoRetry());
 */
import type { Transformer } from "grammy";

const MAX_ATTEMPTS = 3;
const MAX_DELAY_SECONDS = 30;

/** Creates the retrying transformer. */
export function autoRetry(): Transformer {
  return async (prev, method, payload, signal) => {
    for (let attempt = 1; ; attempt++) {
      const res = await prev(method, payload, signal);
      if (res.ok || res.error_code !== 429 || attempt >= MAX_ATTEMPTS) return res;
      const wait = res.parameters?.retry_after ?? 1;
      if (wait > MAX_DELAY_SECONDS) return res;
      await new Promise<void>((r) => setTimeout(r, wait * 1000));
    }
  };
}
