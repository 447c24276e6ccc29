/**
 * The Zalo channel as a Fastify plugin, shaped like the Telegram one: updates arrive at
 * POST /webhooks/zalo (secret header checked in constant time, both body shapes) or by
 * long polling; each message is claimed once in the update log, translated for the
 * conversation core, and the replies are sent back.
 *
 * Webhook choice: the request is acknowledged (200) as soon as the update is claimed,
 * and processing continues in the background, tracked by `inflight` (tests and shutdown
 * await `inflight.drain()`).
 *
 *   await app.register(zaloPlugin, { config, logger, conversation, updateLog, state, inflight });
 */
import type { FastifyInstance } from "fastify";
import type { IncomingMessage } from "../../core/conversation/types.js";
import { handleAndReply, type ReplyDeps } from "../reply.js";
import { requireSecretHeader } from "../secrets.js";
import { registerWebhookOnReady } from "../webhook-registration.js";
import { resolveNumberedReply, zaloChoiceMemory } from "./choices.js";
import { ZaloClient } from "./client.js";
import { toIncoming, unwrapUpdate } from "./parse.js";
import { createZaloSender } from "./sender.js";
import { ZALO_WEBHOOK_PATH, type ZaloPluginOptions, type ZaloUpdate } from "./types.js";

/** Checks the Zalo settings; throws an operator-readable error when webhook mode lacks a valid secret. */
function checkZaloConfig(config: ZaloPluginOptions["config"]): void {
  if (config.ZALO_MODE !== "webhook") return;
  const secret = config.ZALO_WEBHOOK_SECRET;
  if (!secret || secret.length < 8 || secret.length > 256) {
    throw new Error(
      "ZALO_MODE=webhook needs ZALO_WEBHOOK_SECRET (8-256 characters, as Zalo requires) so that only Zalo can post updates. Set it, or use ZALO_MODE=polling for local development.",
    );
  }
}

/** Registers the Zalo channel. */
export async function zaloPlugin(app: FastifyInstance, opts: ZaloPluginOptions): Promise<void> {
  const { config, conversation, updateLog, state, inflight } = opts;
  const logger = opts.logger.child({ channel: "zalo" });
  checkZaloConfig(config);
  const token = config.ZALO_BOT_TOKEN;
  if (!token && !opts.client) throw new Error("zaloPlugin needs ZALO_BOT_TOKEN");
  const client = opts.client ?? new ZaloClient({ token: token!, apiRoot: config.ZALO_API_ROOT });
  const sender = createZaloSender({ token: token ?? "", logger, client, choiceMemory: zaloChoiceMemory(state), fileLinks: opts.fileLinks });

  const replyDeps: ReplyDeps = { conversation, sender, logger, typing: (chatId) => client.sendChatAction({ chat_id: chatId, action: "typing" }) };
  const handle = async (message: IncomingMessage) => handleAndReply(replyDeps, resolveNumberedReply(state, message));

  /** Claims and starts one update, unless it is a redelivery or needs no reply. */
  function accept(update: ZaloUpdate): void {
    const message = toIncoming(update);
    const key = message?.messageId; // the update's key (Zalo has no update_id)
    if (!message || !key) {
      logger.debug({ event: update.event_name }, "zalo update ignored");
      return;
    }
    if (!updateLog.claim("zalo", key)) {
      logger.info({ messageId: key }, "redelivered update ignored");
      return;
    }
    inflight.track(handle(message).catch((err: unknown) => logger.error({ err: String(err) }, "zalo update failed")));
  }

  if (config.ZALO_MODE === "webhook") {
    const secret = config.ZALO_WEBHOOK_SECRET!;
    app.post(
      ZALO_WEBHOOK_PATH,
      {
        onRequest: requireSecretHeader("x-bot-api-secret-token", secret),
        schema: { body: { type: "object" } },
      },
      async (req, res) => {
        const update = unwrapUpdate(req.body);
        if (!update) return res.code(400).send({ error: "not a Zalo update: event_name missing" });
        accept(update);
        return { ok: true };
      },
    );
    registerWebhookOnReady(app, {
      channel: "zalo",
      path: ZALO_WEBHOOK_PATH,
      publicUrl: config.PUBLIC_URL,
      logger,
      register: (url) => client.setWebhook({ url, secret_token: secret }),
    });
  } else {
    const stop = new AbortController();
    let loop: Promise<void> | undefined;
    app.addHook("onReady", async () => {
      loop = pollZalo(client, accept, stop.signal, logger);
    });
    app.addHook("onClose", async () => {
      stop.abort();
      await loop;
    });
  }
}

/** Long-polls getUpdates until `signal` aborts, backing off (1 s → 30 s) on errors. */
async function pollZalo(
  client: ZaloClient,
  accept: (u: ZaloUpdate) => void,
  signal: AbortSignal,
  logger: ZaloPluginOptions["logger"],
): Promise<void> {
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
    });
  try {
    // Webhook and getUpdates are mutually exclusive.
    await client.deleteWebhook();
  } catch (err) {
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, "zalo deleteWebhook failed; polling anyway");
  }
  logger.info("zalo polling started");
  let backoff = 1000;
  while (!signal.aborted) {
    try {
      const asked = Date.now();
      const updates = await client.getUpdates({ timeout: 30 }, signal);
      for (const u of updates) {
        const update = unwrapUpdate(u);
        if (update) accept(update);
      }
      backoff = 1000;
      // A server that answers "nothing" at once (not a long poll) must not make this spin.
      if (updates.length === 0 && Date.now() - asked < 1000) await pause(1000);
    } catch (err) {
      if (signal.aborted) break;
      logger.warn({ err: err instanceof Error ? err.message : String(err), backoffMs: backoff }, "zalo getUpdates failed");
      await pause(backoff);
      backoff = Math.min(backoff * 2, 30_000);
    }
  }
  logger.info("zalo polling stopped");
}
