/**
 * A local fake of the Telegram Bot API / Zalo Bot API: records every call and answers
 * like the platform would. Tests script failures per method with `failNext`.
 *
 *   const fake = await startFakeApi("telegram");
 *   new Bot(token, { client: { apiRoot: fake.url } });
 *   fake.calls("sendMessage") // → [{ chat_id, text, ... }]
 */
import Fastify, { type FastifyInstance } from "fastify";

export interface RecordedCall {
  method: string;
  token: string;
  body: Record<string, unknown>;
}

export interface FakeApi {
  url: string;
  app: FastifyInstance;
  all: RecordedCall[];
  calls(method: string): Record<string, unknown>[];
  /** The next call of `method` answers with this status and body instead. */
  failNext(method: string, status: number, body: unknown): void;
  /** Resolves when `count` calls of `method` have been recorded. */
  waitFor(method: string, count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts the fake on a random loopback port. */
export async function startFakeApi(kind: "telegram" | "zalo"): Promise<FakeApi> {
  const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
  const all: RecordedCall[] = [];
  const failures = new Map<string, { status: number; body: unknown }[]>();
  const waiters: { method: string; count: number; resolve: () => void }[] = [];
  let nextId = 1;

  app.post("/bot:token/:method", async (req, reply) => {
    const { token, method } = req.params as { token: string; method: string };
    const body = (req.body ?? {}) as Record<string, unknown>;
    const planned = failures.get(method)?.shift();
    if (planned) return reply.code(planned.status).send(planned.body);
    all.push({ method, token, body });
    for (const w of [...waiters]) {
      if (all.filter((c) => c.method === w.method).length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
    return { ok: true, result: resultFor(kind, method, body, nextId++) };
  });

  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    all,
    calls: (method) => all.filter((c) => c.method === method).map((c) => c.body),
    failNext(method, status, body) {
      const list = failures.get(method) ?? [];
      list.push({ status, body });
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

function resultFor(kind: "telegram" | "zalo", method: string, body: Record<string, unknown>, id: number): unknown {
  if (kind === "zalo") {
    if (method === "sendMessage") return { message_id: `z${id}`, date: Date.now() };
    if (method === "getMe") return { id: "1459232241454765289", account_name: "bot.test", account_type: "BASIC", can_join_groups: false };
    if (method === "setWebhook" || method === "getWebhookInfo") return { url: body.url ?? "", updated_at: Date.now() };
    if (method === "getUpdates") return [];
    return undefined;
  }
  if (method === "sendMessage") {
    return { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: Number(body.chat_id), type: "private" }, text: body.text };
  }
  if (method === "getMe") {
    return { id: 42, is_bot: true, first_name: "Sổ tay", username: "sotay_bot", can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
  }
  return true;
}
