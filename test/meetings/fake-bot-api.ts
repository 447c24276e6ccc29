/**
 * A local fake of the Telegram Bot API's sendMessage that enforces Telegram's
 * broadcast limits: more than `perSecond` messages in any 1 s window, or more than
 * `perChatPerSecond` to one chat, gets 429 with parameters.retry_after — like the
 * real server. It records every accepted message. Used by tests and bench/broadcast.ts.
 *
 *   const api = await startFakeBotApi({ perSecond: 30, perChatPerSecond: 1 });
 *   const sender = createTelegramSender({ token: api.token, apiRoot: api.url, logger });
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeBotApiOptions {
  perSecond?: number;
  perChatPerSecond?: number;
  /** retry_after sent with a 429 (seconds); default 1. */
  retryAfter?: number;
  /** Answer the first N requests with 429 regardless of rate (tests of the retry path). */
  reject429First?: number;
  port?: number;
}

export interface AcceptedMessage {
  chatId: string;
  messageId: number;
  text: string;
  callbackData: string[];
  at: number;
}

export interface FakeBotApi {
  url: string;
  token: string;
  accepted: AcceptedMessage[];
  stats: { requests: number; rejected429: number };
  /** Accepted messages per chat. */
  perChat(): Map<string, number>;
  close(): Promise<void>;
}

/** Starts the fake on 127.0.0.1 (a random port unless `port` is given). */
export async function startFakeBotApi(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  const perSecond = options.perSecond ?? 30;
  const perChat = options.perChatPerSecond ?? 1;
  const retryAfter = options.retryAfter ?? 1;
  let reject = options.reject429First ?? 0;
  const token = "123456:TEST-token";
  const window: number[] = [];
  const chatWindows = new Map<string, number[]>();
  const accepted: AcceptedMessage[] = [];
  const stats = { requests: 0, rejected429: 0 };
  let nextId = 1;

  const tooMany = (res: http.ServerResponse) => {
    stats.rejected429++;
    res.writeHead(429, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } }));
  };

  const server = http.createServer((req, res) => {
    stats.requests++;
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      const now = Date.now();
      if (!req.url?.startsWith(`/bot${token}/sendMessage`)) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: false, error_code: 404, description: "Not Found" }));
        return;
      }
      const payload = JSON.parse(body || "{}") as { chat_id: string | number; text: string; reply_markup?: { inline_keyboard?: { callback_data?: string }[][] } };
      const chatId = String(payload.chat_id);
      if (reject > 0) {
        reject--;
        return tooMany(res);
      }
      while (window.length > 0 && window[0]! <= now - 1000) window.shift();
      const chat = chatWindows.get(chatId) ?? [];
      while (chat.length > 0 && chat[0]! <= now - 1000) chat.shift();
      if (window.length >= perSecond || chat.length >= perChat) return tooMany(res);
      window.push(now);
      chat.push(now);
      chatWindows.set(chatId, chat);
      const messageId = nextId++;
      accepted.push({
        chatId,
        messageId,
        text: payload.text,
        callbackData: (payload.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data ?? ""),
        at: now,
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, result: { message_id: messageId, date: Math.floor(now / 1000), chat: { id: Number(chatId) || 0, type: "private" }, text: payload.text } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    accepted,
    stats,
    perChat() {
      const m = new Map<string, number>();
      for (const a of accepted) m.set(a.chatId, (m.get(a.chatId) ?? 0) + 1);
      return m;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
