/**
 * The Zalo channel as a Fastify plugin, shaped like the Telegram one: updates arrive at
 * POST /webhooks/zalo (secret header checked in constant time, both body shapes) or by
 * long polling; each is validated at the edge (parse.ts), stored in the inbox, and only
 * then acknowledged. Processing happens from the inbox: this plugin tells it how a
 * stored update becomes the core's message (a bare "2" answering a numbered menu
 * becomes that choice); replies go out through the outbox (the sender, index.ts).
 *
 *   await app.register(zaloPlugin, context);
 */
import type { FastifyInstance } from "fastify";
import type { Logger } from "../../core/logger.js";
import type { ChannelContext, ChannelInbox } from "../channel-context.js";
import { requireSecretHeader } from "../secrets.js";
import { storeThenAcknowledge } from "../webhook-ack.js";
import { registerWebhookOnReady } from "../webhook-registration.js";
import { resolveNumberedReply } from "./choices.js";
import { ZaloClient } from "./client.js";
import { readZaloUpdate, toIncoming } from "./parse.js";
import { ZALO_WEBHOOK_PATH } from "./types.js";

/** Checks the Zalo settings; throws an operator-readable error when webhook mode lacks a valid secret. */
function checkZaloConfig(config: ChannelContext["config"]): void {
  if (config.ZALO_MODE !== "webhook") return;
  const secret = config.ZALO_WEBHOOK_SECRET;
  if (!secret || secret.length < 8 || secret.length > 256) {
    throw new Error(
      "ZALO_MODE=webhook needs ZALO_WEBHOOK_SECRET (8-256 characters, as Zalo requires) so that only Zalo can post updates. Set it, or use ZALO_MODE=polling for local development.",
    );
  }
}

/** Registers the Zalo channel. */
export async function zaloPlugin(app: FastifyInstance, context: ChannelContext): Promise<void> {
  const { config, state, inbox } = context;
  const logger = context.logger.child({ channel: "zalo" });
  checkZaloConfig(config);
  const token = config.ZALO_BOT_TOKEN;
  if (!token) throw new Error("the Zalo channel needs ZALO_BOT_TOKEN");
  const client = new ZaloClient({ token, apiRoot: config.ZALO_API_ROOT });

  inbox.process({
    toMessage(payload) {
      const read = readZaloUpdate(payload);
      return read.kind === "update" ? resolveNumberedReply(state, toIncoming(read.update)) : null;
    },
    typing: (chatId) => client.sendChatAction({ chat_id: chatId, action: "typing" }),
  });

  if (config.ZALO_MODE === "webhook") {
    const secret = config.ZALO_WEBHOOK_SECRET!;
    app.post(ZALO_WEBHOOK_PATH, { onRequest: requireSecretHeader("x-bot-api-secret-token", secret) }, async (req, res) => {
      const read = readZaloUpdate(req.body);
      if (read.kind === "invalid") return res.code(400).send({ error: read.reason });
      if (read.kind === "ignored") {
        logger.debug({ event: read.event, reason: read.reason }, "zalo update ignored");
        return res.code(200).send({ ok: true });
      }
      // The body is stored as received; processing reads it with the same schemas.
      return storeThenAcknowledge(res, inbox, { updateKey: read.updateKey, chatKey: read.chatKey, payload: req.body }, logger);
    });
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
      loop = pollZalo(client, inbox, stop.signal, logger);
    });
    app.addHook("onClose", async () => {
      stop.abort();
      await loop;
    });
  }
}

/**
 * Long-polls getUpdates until `signal` aborts, backing off (1 s → 30 s) on errors. Zalo
 * has no offset to confirm with: an update is stored in the inbox as soon as it arrives
 * (waiting out a locked database), and the inbox recognises one delivered twice.
 */
async function pollZalo(client: ZaloClient, inbox: ChannelInbox, signal: AbortSignal, logger: Logger): Promise<void> {
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
        const read = readZaloUpdate(u);
        if (read.kind === "update") await inbox.accept({ updateKey: read.updateKey, chatKey: read.chatKey, payload: u });
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
