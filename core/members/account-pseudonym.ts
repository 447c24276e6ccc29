/**
 * A stable pseudonym for a chat account, for log lines and attempt counters that must
 * tell accounts apart without naming them: HMAC-SHA256 of "<channel>:<user id>" under
 * an installation key (core/db/installation-secret.ts), 16 hex characters. Unlike a
 * plain hash it cannot be undone by hashing every possible Telegram id.
 *
 *   const pseudonym = accountPseudonyms(prisma);
 *   logger.warn({ channel, user: await pseudonym("telegram", "555") }, "...");
 */
import { createHmac } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import type { ChannelName } from "../conversation/types.js";
import { installationSecret } from "../db/installation-secret.js";

export type AccountPseudonym = (channel: ChannelName, userId: string) => Promise<string>;

/** The pseudonym function of this installation (its key is read once, on first use). */
export function accountPseudonyms(prisma: PrismaClient): AccountPseudonym {
  let key: Promise<string> | undefined;
  return async (channel, userId) => {
    key ??= installationSecret(prisma, "account-pseudonym").catch((err: unknown) => {
      key = undefined; // a failed read is retried next time
      throw err;
    });
    return createHmac("sha256", await key).update(`${channel}:${userId}`).digest("hex").slice(0, 16);
  };
}
