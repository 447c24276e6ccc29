import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConversationFeature } from "../../core/conversation/types.js";
import { startFakeApi, type FakeApi } from "./support/fake-api.js";
import { startHarness, type Harness } from "./support/harness.js";

const SECRET = "zalo-webhook-secret-123";
const TOKEN = "98765:TEST-zalo-token";
let nextId = 1;

function zaloMessage(text: string | undefined, opts: { messageId?: string; event?: string; chatId?: string; isBot?: boolean } = {}) {
  const chatId = opts.chatId ?? "6ede9afa66b88fe6d6a9";
  return {
    event_name: opts.event ?? "message.text.received",
    message: {
      message_id: opts.messageId ?? `m${nextId++}`,
      date: Date.now(),
      from: { id: chatId, display_name: "Bình", is_bot: opts.isBot ?? false },
      chat: { id: chatId, chat_type: "PRIVATE" },
      ...(text !== undefined ? { text } : {}),
    },
  };
}

describe("Zalo webhook end to end", () => {
  let fake: FakeApi;
  let h: Harness;
  const env = (extra: Record<string, string> = {}) => ({
    ZALO_BOT_TOKEN: TOKEN,
    ZALO_WEBHOOK_SECRET: SECRET,
    ZALO_MODE: "webhook",
    ZALO_API_ROOT: fake.url,
    ...extra,
  });
  const post = async (body: unknown, headers: Record<string, string> = { "x-bot-api-secret-token": SECRET }) => {
    const res = await h.app.inject({ method: "POST", url: "/webhooks/zalo", payload: body as object, headers });
    await h.app.inbox.drain();
    return res;
  };

  beforeEach(async () => {
    fake = await startFakeApi("zalo");
  });
  afterEach(async () => {
    await h?.close().catch(() => undefined);
    await fake.close();
  });

  it("answers the flat body shape with plain text and the citation, showing typing while it searches", async () => {
    h = await startHarness({ env: env(), slowAnswerMs: 80, deps: { typingDelayMs: 10 } });
    const res = await post(zaloMessage("mức đóng đảng phí của đảng viên hưu trí"));
    expect(res.statusCode).toBe(200);
    const [sent] = fake.calls("sendMessage");
    expect(sent!.chat_id).toBe("6ede9afa66b88fe6d6a9");
    const text = sent!.text as string;
    expect(text).toContain("0,5% lương hưu");
    expect(text).toContain("<mỗi tháng> & ghi sổ");
    expect(text).toContain("Nguồn: Sổ tay thử nghiệm: Đảng phí › Mức đóng đảng phí");
    expect(text).not.toContain("**");
    expect(fake.calls("sendChatAction")).toEqual([{ chat_id: "6ede9afa66b88fe6d6a9", action: "typing" }]);
    expect(fake.all.every((c) => c.token === TOKEN)).toBe(true);
  });

  it("answers the wrapped body shape ({ok, result}) too", async () => {
    h = await startHarness({ env: env() });
    const res = await post({ ok: true, result: zaloMessage("/start") });
    expect(res.statusCode).toBe(200);
    expect(fake.calls("sendMessage")[0]!.text).toContain("Sổ tay đảng viên điện tử");
  });

  it("refuses a missing or wrong secret with 401 and processes nothing", async () => {
    h = await startHarness({ env: env() });
    expect((await post(zaloMessage("/start"), {})).statusCode).toBe(401);
    expect((await post(zaloMessage("/start"), { "x-bot-api-secret-token": "zalo-webhook-secret-124" })).statusCode).toBe(401);
    expect((await post(zaloMessage("/start"), { "x-bot-api-secret-token": "short" })).statusCode).toBe(401);
    expect(fake.all).toEqual([]);
  });

  it("answers 400 to malformed JSON or a body without event_name, 413 when oversized, 200 to unknown events", async () => {
    h = await startHarness({ env: env() });
    const headers = { "x-bot-api-secret-token": SECRET, "content-type": "application/json" };
    expect((await h.app.inject({ method: "POST", url: "/webhooks/zalo", payload: "{not json", headers })).statusCode).toBe(400);
    expect((await post({ hello: "world" })).statusCode).toBe(400);
    const huge = JSON.stringify(zaloMessage("x".repeat(1_100_000)));
    expect((await h.app.inject({ method: "POST", url: "/webhooks/zalo", payload: huge, headers })).statusCode).toBe(413);
    expect((await post(zaloMessage(undefined, { event: "message.reaction.received" }))).statusCode).toBe(200);
    expect((await post({ event_name: "bot.something.new" })).statusCode).toBe(200);
    expect((await post(zaloMessage("tin của chính bot", { isBot: true }))).statusCode).toBe(200);
    expect(fake.calls("sendMessage")).toEqual([]);
  });

  it("answers non-text messages politely that only text is understood", async () => {
    h = await startHarness({ env: env() });
    await post({ ...zaloMessage(undefined, { event: "message.image.received" }) });
    expect(fake.calls("sendMessage")[0]!.text).toContain("tin nhắn chữ");
  });

  it("a redelivered message_id gets no second reply, even after a restart", async () => {
    h = await startHarness({ env: env() });
    const update = zaloMessage("/start", { messageId: "2d758cb5e222177a4e35" });
    await post(update);
    await post({ ok: true, result: update });
    expect(fake.calls("sendMessage")).toHaveLength(1);
    h = await h.reopen();
    expect((await post(update)).statusCode).toBe(200);
    expect(fake.calls("sendMessage")).toHaveLength(1);
  });

  it("offers choices as numbered lines and maps a numeric reply back to the choice", async () => {
    const picked: string[] = [];
    const feature: ConversationFeature = {
      name: "test",
      commands: {
        diemdanh: async () => [{ text: "Đồng chí có dự họp?", choices: [{ label: "Có mặt", value: "att:yes" }, { label: "Vắng mặt", value: "att:no" }] }],
      },
      onChoice: async (m) => (picked.push(m.choice!), [{ text: "Đã ghi nhận." }]),
    };
    h = await startHarness({ env: env(), features: [feature] });
    await post(zaloMessage("/diemdanh"));
    expect(fake.calls("sendMessage")[0]!.text).toBe(
      "Đồng chí có dự họp?\n\n1. Có mặt\n2. Vắng mặt\n\nĐồng chí trả lời bằng số thứ tự (ví dụ: 1).",
    );
    await post(zaloMessage("2"));
    expect(picked).toEqual(["att:no"]);
    expect(fake.calls("sendMessage").at(-1)!.text).toBe("Đã ghi nhận.");
  });

  it("refuses to start in webhook mode without a valid secret", async () => {
    await expect(startHarness({ env: { ZALO_BOT_TOKEN: TOKEN, ZALO_MODE: "webhook", ZALO_API_ROOT: fake.url } })).rejects.toThrow(
      /ZALO_WEBHOOK_SECRET/,
    );
    await expect(startHarness({ env: env({ ZALO_WEBHOOK_SECRET: "short" }) })).rejects.toThrow(/8-256/);
    h = undefined as unknown as Harness;
  });

  it("calls setWebhook with the secret when PUBLIC_URL is set", async () => {
    h = await startHarness({ env: env({ PUBLIC_URL: "https://sotay.example.vn" }) });
    expect(fake.calls("setWebhook")).toEqual([{ url: "https://sotay.example.vn/webhooks/zalo", secret_token: SECRET }]);
  });
});

describe("Zalo polling end to end", () => {
  it("long-polls getUpdates (object or array results), answers, and stops on close", async () => {
    const fake = await startFakeApi("zalo");
    // Script getUpdates: one object, then an array with a duplicate, then idle (408).
    const first = zaloMessage("/start", { messageId: "p1" });
    const second = zaloMessage("/trogiup", { messageId: "p2" });
    fake.failNext("getUpdates", 200, { ok: true, result: first });
    fake.failNext("getUpdates", 200, { ok: true, result: [first, second] });
    for (let i = 0; i < 50; i++) fake.failNext("getUpdates", 200, { ok: false, error_code: 408, description: "Request timeout" });
    const h = await startHarness({ env: { ZALO_BOT_TOKEN: TOKEN, ZALO_MODE: "polling", ZALO_API_ROOT: fake.url } });
    try {
      await fake.waitFor("sendMessage", 2);
      await h.app.inbox.drain();
      const texts = fake.calls("sendMessage").map((c) => c.text as string);
      expect(texts).toHaveLength(2);
      expect(texts[0]).toContain("Sổ tay đảng viên điện tử");
      expect(texts[1]).toContain("/hoi");
      expect(fake.calls("deleteWebhook")).toHaveLength(1);
    } finally {
      await h.close();
      await fake.close();
    }
  });
});
