/**
 * A local fake of the Telegram Bot API / Zalo Bot API: records every call and answers
 * like the platform would. Tests script failures per method with `failNext`; with
 * `limits`, sendMessage also enforces Telegram's broadcast limits (more than `perSecond`
 * messages in any 1 s window, or more than `perChatPerSecond` to one chat, gets 429 with
 * parameters.retry_after, like the real server). Uploads (sendDocument) are read from their
 * multipart body: a file field is recorded as { fileName, content: Buffer }. Used by tests and the benchmarks.
 *
 *   const fake = await startFakeApi("telegram", { limits: { perSecond: 30, perChatPerSecond: 1 } });
 *   new Bot(token, { client: { apiRoot: fake.url } });
 *   fake.calls("sendMessage") // → [{ chat_id, text, ... }]
 */
import Fastify, { type FastifyInstance } from "fastify";

export interface RecordedCall {
  method: string;
  token: string;
  body: Record<string, unknown>;
  /** The `result` the fake answered with (e.g. the sent message, with its message_id). */
  result: unknown;
  /** Date.now() when the call arrived (as Telegram counts it against its limits). */
  at: number;
}

export interface FakeApiOptions {
  /** Rate limits on sendMessage, as Telegram enforces them; none by default. */
  limits?: { perSecond: number; perChatPerSecond: number; /** seconds, default 1 */ retryAfter?: number };
  /**
   * Network latency: an accepted call is recorded (and counted) when it arrives and answered this
   * many ms later, so a sender killed meanwhile leaves a message delivered but not known to be.
   */
  responseDelayMs?: number;
}

export interface FakeApi {
  url: string;
  app: FastifyInstance;
  /** Every call answered with ok: true, in order. */
  all: RecordedCall[];
  /** Calls answered with an error instead (`failNext` or `limits`), in order. */
  refused: { method: string; status: number; body: Record<string, unknown>; /** Date.now() when refused. */ at: number }[];
  calls(method: string): Record<string, unknown>[];
  /** The next call of `method` (whose body satisfies `when`, if given) answers with this status and body instead. */
  failNext(method: string, status: number, body: unknown, when?: (body: Record<string, unknown>) => boolean): void;
  /** Resolves when `count` calls of `method` have been recorded. */
  waitFor(method: string, count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** The body of Telegram's 429 answer. */
export function tooManyRequests(retryAfter: number) {
  return { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } };
}

/** Starts the fake on a random loopback port. */
export async function startFakeApi(kind: "telegram" | "zalo", options: FakeApiOptions = {}): Promise<FakeApi> {
  const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
  const all: RecordedCall[] = [];
  const refused: FakeApi["refused"] = [];
  const failures = new Map<string, { status: number; body: unknown; when?: (body: Record<string, unknown>) => boolean }[]>();
  const waiters: { method: string; count: number; resolve: () => void }[] = [];
  const overLimit = options.limits ? rateLimiter(options.limits.perSecond, options.limits.perChatPerSecond) : () => false;
  let nextId = 1;
  // sendDocument uploads as multipart/form-data (grammY writes compact headers and refers to the
  // file part with "attach://<name>"): read leniently, as Telegram does.
  app.addContentTypeParser(/^multipart\/form-data/, { parseAs: "buffer" }, async (req: { headers: Record<string, unknown> }, body: Buffer) =>
    parseMultipart(body, String(req.headers["content-type"])),
  );

  app.post("/bot:token/:method", async (req, reply) => {
    const { token, method } = req.params as { token: string; method: string };
    const body = (req.body ?? {}) as Record<string, unknown>;
    const now = Date.now();
    const queue = failures.get(method) ?? [];
    const at = queue.findIndex((f) => !f.when || f.when(body));
    const planned = at >= 0 ? queue.splice(at, 1)[0] : undefined;
    if (planned) {
      refused.push({ method, status: planned.status, body, at: now });
      return reply.code(planned.status).send(planned.body);
    }
    if (method === "sendMessage" && overLimit(String(body.chat_id), now)) {
      refused.push({ method, status: 429, body, at: now });
      return reply.code(429).send(tooManyRequests(options.limits?.retryAfter ?? 1));
    }
    const result = resultFor(kind, method, body, nextId++);
    all.push({ method, token, body, result, at: now });
    for (const w of [...waiters]) {
      if (all.filter((c) => c.method === w.method).length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
    if (options.responseDelayMs) await new Promise((r) => setTimeout(r, options.responseDelayMs));
    return { ok: true, result };
  });

  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    all,
    refused,
    calls: (method) => all.filter((c) => c.method === method).map((c) => c.body),
    failNext(method, status, body, when) {
      const list = failures.get(method) ?? [];
      list.push({ status, body, when });
      failures.set(method, list);
    },
    waitFor(method, count, timeoutMs = 10_000) {
      if (all.filter((c) => c.method === method).length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`fake ${kind} API: waited for ${count} ${method} calls, got ${all.filter((c) => c.method === method).length}`)),
          timeoutMs,
        );
        waiters.push({ method, count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    close: () => app.close(),
  };
}

/** Sliding 1 s windows, overall and per chat; a message within both limits is counted and let through. */
function rateLimiter(perSecond: number, perChatPerSecond: number): (chatId: string, now: number) => boolean {
  const window: number[] = [];
  const chatWindows = new Map<string, number[]>();
  return (chatId, now) => {
    while (window.length > 0 && window[0]! <= now - 1000) window.shift();
    const chat = chatWindows.get(chatId) ?? [];
    while (chat.length > 0 && chat[0]! <= now - 1000) chat.shift();
    if (window.length >= perSecond || chat.length >= perChatPerSecond) return true;
    window.push(now);
    chat.push(now);
    chatWindows.set(chatId, chat);
    return false;
  };
}

function resultFor(kind: "telegram" | "zalo", method: string, body: Record<string, unknown>, id: number): unknown {
  if (kind === "zalo") {
    if (method === "sendMessage") return { message_id: `z${id}`, date: Date.now() };
    if (method === "getMe") return { id: "1459232241454765289", account_name: "bot.test", account_type: "BASIC", can_join_groups: false };
    if (method === "setWebhook" || method === "getWebhookInfo") return { url: body.url ?? "", updated_at: Date.now() };
    if (method === "getUpdates") return [];
    return undefined;
  }
  if (method === "sendDocument") {
    const file = body.document as { fileName?: string } | undefined;
    return { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: Number(body.chat_id), type: "private" }, document: { file_name: file?.fileName, file_id: `f${id}` } };
  }
  if (method === "sendMessage") {
    return { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: Number(body.chat_id), type: "private" }, text: body.text };
  }
  if (method === "getMe") {
    return { id: 42, is_bot: true, first_name: "Sổ tay", username: "sotay_bot", can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
  }
  return true;
}

/** Multipart fields: text as strings, files as { fileName, content }; "attach://x" values point at part x. */
function parseMultipart(body: Buffer, contentType: string): Record<string, unknown> {
  const boundary = /boundary=("?)([^";]+)\1/i.exec(contentType)?.[2];
  if (!boundary) throw new Error("multipart body without a boundary");
  const parts: Record<string, unknown> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start + 2, next - 2); // skip the CRLF after the delimiter and before the next
    const split = part.indexOf("\r\n\r\n");
    const head = part.subarray(0, split).toString("utf8");
    const content = part.subarray(split + 4);
    const name = /name="?([^";\r\n]+)"?/i.exec(head)?.[1] ?? "";
    const fileName = /filename="?([^";\r\n]+)"?/i.exec(head)?.[1];
    parts[name] = fileName !== undefined ? { fileName, content: Buffer.from(content) } : content.toString("utf8");
    at = next;
  }
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parts)) {
    const ref = typeof value === "string" ? /^attach:\/\/(.+)$/.exec(value)?.[1] : undefined;
    if (ref && ref in parts) fields[key] = parts[ref];
    else if (!Object.values(parts).some((v) => v === `attach://${key}`)) fields[key] = value;
  }
  return fields;
}
