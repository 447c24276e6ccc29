/**
 * The web chat as a Fastify plugin: a small page at / (HTML, JS, CSS from ./public) and
 * POST /api/chat {sessionId, text | choice} → {replies}, served by the same
 * conversation core as Telegram and Zalo. The session id (made by the page) is the
 * chat and the user. The answer goes back in the HTTP response (the page is waiting), so
 * the web chat needs neither the inbox nor a sender; while the database is locked the
 * page is asked to send again.
 *
 *   await app.register(webPlugin, context);
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { createRateLimiter } from "../../core/conversation/rate-limiter.js";
import { BUSY, RATE_LIMITED } from "../../core/conversation/messages.js";
import { isDatabaseBusy } from "../../core/db/busy.js";
import type { IncomingMessage, OutgoingMessage } from "../../core/conversation/types.js";
import type { ChannelContext } from "../channel-context.js";

const PUBLIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "public");

const STATIC: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/app.css": { file: "app.css", type: "text/css; charset=utf-8" },
  // Browsers ask for /favicon.ico whatever the page says; both serve the SVG.
  "/favicon.svg": { file: "favicon.svg", type: "image/svg+xml" },
  "/favicon.ico": { file: "favicon.svg", type: "image/svg+xml" },
};

// The page loads only its own script and style: nothing else may run.
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** A reply as the page receives it: a file travels as base64 and is offered as a download. */
interface WebReply {
  text: string;
  choices?: OutgoingMessage["choices"];
  file?: { fileName: string; mimeType: string; base64: string };
}

function toWebReply({ file, ...rest }: OutgoingMessage): WebReply {
  if (!file) return rest;
  return { ...rest, file: { fileName: file.fileName, mimeType: file.mimeType, base64: Buffer.from(file.content).toString("base64") } };
}

interface ChatBody {
  sessionId: string;
  text?: string;
  choice?: string;
}

/** Registers the web chat. */
export async function webPlugin(app: FastifyInstance, opts: ChannelContext): Promise<void> {
  const { conversation, config } = opts;
  // Per-address request cap on top of the core's per-session question limit (sessions are free to make).
  // Generous, since several members may share one address (an office network).
  const perAddress = createRateLimiter({ perMinute: config.QUESTIONS_PER_MINUTE * 5 });

  for (const [route, { file, type }] of Object.entries(STATIC)) {
    const body = fs.readFileSync(path.join(PUBLIC_DIR, file));
    app.get(route, async (_req, reply) =>
      reply.type(type).header("cache-control", "no-cache").header("content-security-policy", CSP).header("x-content-type-options", "nosniff").send(body),
    );
  }

  app.post<{ Body: ChatBody }>(
    "/api/chat",
    {
      schema: {
        body: {
          type: "object",
          required: ["sessionId"],
          additionalProperties: false,
          properties: {
            sessionId: { type: "string", pattern: "^[A-Za-z0-9_-]{8,64}$" },
            text: { type: "string", maxLength: 4000 },
            choice: { type: "string", minLength: 1, maxLength: 64 },
          },
          anyOf: [{ required: ["text"] }, { required: ["choice"] }],
        },
      },
    },
    async (req): Promise<{ replies: WebReply[] }> => {
      const verdict = perAddress.take(req.ip);
      if (!verdict.ok) return { replies: [{ text: RATE_LIMITED(verdict.retryAfterSeconds) }] };
      const { sessionId, text = "", choice } = req.body;
      const message: IncomingMessage = {
        channel: "web",
        chatId: sessionId,
        userId: sessionId,
        text,
        choice,
        kind: choice ? "choice" : "text",
      };
      try {
        return { replies: (await conversation.handle(message)).map(toWebReply) };
      } catch (err) {
        if (!isDatabaseBusy(err)) throw err;
        req.log.warn("web chat message not handled: the database is locked");
        return { replies: [{ text: BUSY }] };
      }
    },
  );
}
