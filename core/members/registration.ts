/**
 * /dangky attempts, guarded against guessing codes:
 *   - per account and over all accounts, at most N wrong codes within a window, then a
 *     temporary lockout (rate-limiter-flexible on the product's database: a restart
 *     forgets nothing, and instances sharing a PostgreSQL database share the counts);
 *   - one outcome for a code that is unknown, used or expired;
 *   - every refusal is a warn log line with the channel and a pseudonym of the account
 *     (account-pseudonym.ts), never the code or the platform's user id.
 * An attempt is counted before its code is looked at (one atomic increment), so a burst
 * of simultaneous guesses cannot slip past the limit; a success gives its count back.
 *
 *   const registration = createRegistration({ prisma, config, logger });
 *   const outcome = await registration.attempt({ code, channel: "telegram", userId, chatId });
 */
import type { PrismaClient } from "@prisma/client";
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import type { Config } from "../config.js";
import type { ChannelName } from "../conversation/types.js";
import type { Logger } from "../logger.js";
import { accountPseudonyms } from "./account-pseudonym.js";
import { redeemInvite } from "./invites.js";

export type RegistrationConfig = Pick<
  Config,
  "REGISTRATION_MAX_FAILURES" | "REGISTRATION_MAX_FAILURES_GLOBAL" | "REGISTRATION_WINDOW_MINUTES" | "REGISTRATION_LOCKOUT_MINUTES"
>;

/** Who is locked out: this account, or registration as a whole (too many wrong codes overall). */
export type LockScope = "account" | "everyone";

export type RegistrationOutcome =
  | { ok: true; memberId: number; /** other accounts of the member unlinked by a replacing code */ unlinked: number }
  /** `lockedNow`: this wrong code used up the allowance; the next attempts are refused for a while. */
  | { ok: false; refusal: "invalid-code"; lockedNow?: { scope: LockScope; minutes: number } }
  | { ok: false; refusal: "locked"; scope: LockScope; minutes: number };

export interface RegistrationAttempt {
  code: string;
  channel: ChannelName;
  userId: string;
  chatId: string;
  /** Time for the code's expiry (the counters run on the real clock). */
  now?: Date;
}

export interface Registration {
  attempt(input: RegistrationAttempt): Promise<RegistrationOutcome>;
}

export interface RegistrationOptions {
  prisma: PrismaClient;
  config: RegistrationConfig;
  logger: Logger;
}

/** The key of the counter over all accounts. */
const EVERYONE = "all";

const minutesOf = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));

/** Creates the guard; see the module comment. */
export function createRegistration(options: RegistrationOptions): Registration {
  const { prisma, config, logger } = options;
  const pseudonym = accountPseudonyms(prisma);
  const lockoutSeconds = config.REGISTRATION_LOCKOUT_MINUTES * 60;
  const limiter = (keyPrefix: string, points: number) =>
    new RateLimiterPrisma({
      storeClient: prisma,
      tableName: "rateLimit",
      keyPrefix,
      points,
      duration: config.REGISTRATION_WINDOW_MINUTES * 60,
      // Simultaneous attempts that overshoot the limit lock it too (the increment is atomic).
      blockDuration: lockoutSeconds,
    });
  const perAccount = limiter("dangky:account", config.REGISTRATION_MAX_FAILURES);
  const overall = limiter("dangky:everyone", config.REGISTRATION_MAX_FAILURES_GLOBAL);

  /** Counts one attempt; the limiter's answer, or the lockout's when it refuses. */
  async function count(limit: RateLimiterPrisma, key: string): Promise<{ allowed: true; res: RateLimiterRes } | { allowed: false; ms: number }> {
    try {
      return { allowed: true, res: await limit.consume(key) };
    } catch (refused) {
      if (refused instanceof RateLimiterRes) return { allowed: false, ms: refused.msBeforeNext };
      throw refused; // the database failed: the conversation core reports it
    }
  }

  return {
    async attempt(input) {
      const user = await pseudonym(input.channel, input.userId);
      const accountKey = `${input.channel}:${user}`;
      const log = { channel: input.channel, user };

      const account = await count(perAccount, accountKey);
      if (!account.allowed) {
        logger.warn({ ...log, refusal: "locked", scope: "account" }, "registration refused");
        return { ok: false, refusal: "locked", scope: "account", minutes: minutesOf(account.ms) };
      }
      const everyone = await count(overall, EVERYONE);
      if (!everyone.allowed) {
        logger.warn({ ...log, refusal: "locked", scope: "everyone" }, "registration refused");
        return { ok: false, refusal: "locked", scope: "everyone", minutes: minutesOf(everyone.ms) };
      }

      const result = await redeemInvite(prisma, input);
      if (result.ok) {
        // A success is not a guess: forget this account's count, give the attempt back to everyone's.
        await perAccount.delete(accountKey);
        await overall.reward(EVERYONE, 1);
        return result;
      }
      // The wrong code that uses up an allowance starts the lockout at once, so the member is told now.
      let lockedNow: { scope: LockScope; minutes: number } | undefined;
      if (account.res.remainingPoints === 0) {
        await perAccount.block(accountKey, lockoutSeconds);
        lockedNow = { scope: "account", minutes: config.REGISTRATION_LOCKOUT_MINUTES };
      }
      if (everyone.res.remainingPoints === 0) {
        await overall.block(EVERYONE, lockoutSeconds);
        lockedNow = { scope: "everyone", minutes: config.REGISTRATION_LOCKOUT_MINUTES };
      }
      logger.warn({ ...log, refusal: "invalid-code", why: result.reason, ...(lockedNow ? { lockout: lockedNow.scope } : {}) }, "registration refused");
      return lockedNow ? { ok: false, refusal: "invalid-code", lockedNow } : { ok: false, refusal: "invalid-code" };
    },
  };
}
