/**
 * Registers a channel's webhook with its platform once the server is ready, when
 * PUBLIC_URL says where the server is reachable; otherwise leaves it to the operator.
 * A failure is logged, not fatal: the server still answers the web chat and /readyz.
 *
 *   registerWebhookOnReady(app, { channel: "zalo", path: "/webhooks/zalo", publicUrl, logger,
 *     register: (url) => client.setWebhook({ url, secret_token: secret }) });
 */
import type { FastifyInstance } from "fastify";
import type { Logger } from "../core/logger.js";

export interface WebhookRegistration {
  channel: string;
  /** The webhook route, e.g. "/webhooks/telegram". */
  path: string;
  publicUrl: string | undefined;
  logger: Logger;
  /** Calls the platform's setWebhook with the full URL. */
  register(url: string): Promise<unknown>;
}

export function registerWebhookOnReady(app: FastifyInstance, r: WebhookRegistration): void {
  app.addHook("onReady", async () => {
    if (!r.publicUrl) {
      r.logger.info(`${r.channel} webhook mode: PUBLIC_URL not set, so setWebhook is left to the operator`);
      return;
    }
    const url = `${r.publicUrl.replace(/\/+$/, "")}${r.path}`;
    try {
      await r.register(url);
      r.logger.info({ url }, `${r.channel} webhook set`);
    } catch (err) {
      r.logger.error({ err: err instanceof Error ? err.message : String(err) }, `${r.channel} setWebhook failed`);
    }
  });
}
