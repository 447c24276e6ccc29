/**
 * The acknowledgement of a webhook: 200 only once the update is stored in the inbox
 * (or was already there), 503 when it could not be stored in time, so the platform
 * delivers it again instead of believing it arrived. The wait for a locked database is
 * short and asynchronous: /healthz and other requests go on meanwhile.
 *
 *   return storeThenAcknowledge(reply, inbox, { updateKey, chatKey, payload }, logger);
 */
import type { FastifyReply } from "fastify";
import type { Logger } from "../core/logger.js";
import { InboxUnavailableError } from "../core/inbox/inbox.js";
import type { ChannelInbox, ReceivedUpdate } from "./channel-context.js";

/**
 * How long a webhook waits to store its update before answering 503. SQLite: a database locked
 * by another process (an import) is waited out only briefly, so the platform retries later. PostgreSQL:
 * a slow insert means a busy server, not a lock, and it nearly always commits; a 503 there makes the
 * platform deliver it again, adding load when the cluster has least to spare, so it waits longer.
 */
export const ACK_DEADLINE_MS = { sqlite: 250, postgresql: 2000 } as const;
/** What the 503 suggests to the platform (Telegram and Zalo retry on their own schedule anyway). */
const RETRY_AFTER_SECONDS = 5;

export async function storeThenAcknowledge(reply: FastifyReply, inbox: ChannelInbox, update: ReceivedUpdate, logger: Logger): Promise<FastifyReply> {
  try {
    const outcome = await inbox.accept(update, { deadlineMs: inbox.ackDeadlineMs });
    if (outcome === "duplicate") logger.info({ updateKey: update.updateKey }, "redelivered update ignored");
    return reply.code(200).send({ ok: true });
  } catch (err) {
    if (err instanceof InboxUnavailableError) logger.warn({ updateKey: update.updateKey }, "update not stored (database locked); answering 503 so the platform delivers it again");
    else logger.error({ err, updateKey: update.updateKey }, "update not stored; answering 503 so the platform delivers it again");
    return reply.code(503).header("retry-after", String(RETRY_AFTER_SECONDS)).send({ error: "temporarily unavailable" });
  }
}

