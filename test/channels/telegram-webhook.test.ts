import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConversationFeature } from "../../core/conversation/types.js";
import { loadConfig } from "../../core/config.js";
import { openStore } from "../../core/db/store.js";
import { openInbox } from "../../core/inbox/inbox.js";
import { startFakeApi, type FakeApi } from "./support/fake-api.js";
import { startHarness, type Harness } from "./support/harness.js";

const SECRET = "s3cret-Telegram_token";
const TOKEN = "123456:TEST-telegram-token";
let nextUpdateId = 1000;

function textUpdate(text: string, opts: { updateId?: number; chatId?: number; chatType?: "private" | "group" } = {}) {
  const chatId = opts.chatId ?? 555;
  return {
    update_id: opts.updateId ?? nextUpdateId++,
    message: {
      message_id: 10,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: opts.chatType ?? "private", first_name: "An" },
      from: { id: chatId, is_bot: false, first_name: "An" },
      text,
      ...(text.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0]!.length }] } : {}),
    },
  };
}

describe("Telegram webhook end to end", () => {
  let fake: FakeApi;
  let h: Harness;
  const env = () => ({
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_MODE: "webhook",
    TELEGRAM_API_ROOT: fake.url,
  });
  /** Posts an update and waits until it is processed (the acknowledgement comes first, once it is stored). */
  const post = async (body: unknown, headers: Record<string, string> = { "x-telegram-bot-api-secret-token": SECRET }) => {
    const res = await h.app.inject({ method: "POST", url: "/webhooks/telegram", payload: body as object, headers });
    await h.app.inbox.drain();
    return res;
  };

  beforeEach(async () => {
    fake = await startFakeApi("telegram");
  });
  afterEach(async () => {
    await h?.close().catch(() => undefined);
    await fake.close();
  });

  it("answers a question with the cited passage, escaped for HTML, showing typing while it searches", async () => {
    // A search slower than the typing delay (the real one is too fast on this tiny handbook).
    h = await startHarness({ env: env(), slowAnswerMs: 80, deps: { typingDelayMs: 10 } });
    const res = await post(textUpdate("mức đóng đảng phí của đảng viên hưu trí"));
    expect(res.statusCode).toBe(200);
    const [sent] = fake.calls("sendMessage");
    expect(sent).toMatchObject({ chat_id: "555", parse_mode: "HTML" });
    const text = sent!.text as string;
    expect(text).toContain("0,5% lương hưu");
    expect(text).toContain("&lt;mỗi tháng&gt; &amp; ghi sổ theo mẫu_01 *x* [a] (b).");
    expect(text).not.toMatch(/<(?!\/?b>)/); // only <b> tags, everything else escaped
    expect(text).toContain("<b>Nguồn:</b> Sổ tay thử nghiệm: Đảng phí › Mức đóng đảng phí");
    expect(fake.calls("sendChatAction")).toEqual([expect.objectContaining({ chat_id: "555", action: "typing" })]);
  });

  it("refuses a missing or wrong secret with 401 and processes nothing", async () => {
    h = await startHarness({ env: env() });
    expect((await post(textUpdate("/start"), {})).statusCode).toBe(401);
    expect((await post(textUpdate("/start"), { "x-telegram-bot-api-secret-token": "wrong" })).statusCode).toBe(401);
    expect((await post(textUpdate("/start"), { "x-telegram-bot-api-secret-token": SECRET + "x" })).statusCode).toBe(401);
    expect(fake.all).toEqual([]);
  });

  it("answers 400 to malformed JSON, 413 to an oversized body, 200 to unknown update types", async () => {
    h = await startHarness({ env: env() });
    const headers = { "x-telegram-bot-api-secret-token": SECRET, "content-type": "application/json" };
    const bad = await h.app.inject({ method: "POST", url: "/webhooks/telegram", payload: '{"update_id": 1, "message": {', headers });
    expect(bad.statusCode).toBe(400);
    const noId = await post({ message: { text: "hi" } });
    expect(noId.statusCode).toBe(400);
    const huge = await h.app.inject({
      method: "POST",
      url: "/webhooks/telegram",
      payload: JSON.stringify({ update_id: 5, message: { text: "x".repeat(1_100_000) } }),
      headers,
    });
    expect(huge.statusCode).toBe(413);
    const poll = await post({ update_id: nextUpdateId++, poll: { id: "p", question: "?", options: [], total_voter_count: 0 } });
    expect(poll.statusCode).toBe(200);
    const edited = await post({ update_id: nextUpdateId++, edited_message: textUpdate("sửa").message });
    expect(edited.statusCode).toBe(200);
    expect(fake.calls("sendMessage")).toEqual([]);
  });

  it("a redelivered update gets no second reply, even after a restart", async () => {
    h = await startHarness({ env: env() });
    const update = textUpdate("/start");
    expect((await post(update)).statusCode).toBe(200);
    expect((await post(update)).statusCode).toBe(200);
    expect(fake.calls("sendMessage")).toHaveLength(1);

    h = await h.reopen();
    expect((await post(update)).statusCode).toBe(200);
    expect(fake.calls("sendMessage")).toHaveLength(1);
    // A new update after the restart is still answered.
    expect((await post(textUpdate("/trogiup"))).statusCode).toBe(200);
    expect(fake.calls("sendMessage")).toHaveLength(2);
  });

  it("an update acknowledged just before a crash is answered after the restart", async () => {
    h = await startHarness({ env: env() });
    const dataDir = h.dataDir;
    const database = { DATABASE_URL: h.config.DATABASE_URL };
    await h.close();
    // What a killed server leaves behind: the update stored (so acknowledged), not yet processed.
    const store = await openStore(loadConfig({ DATA_DIR: dataDir, ...database }));
    const inbox = openInbox(store);
    const update = textUpdate("/trogiup");
    await inbox.store({ channel: "telegram", updateKey: String(update.update_id), chatKey: "555", payload: update });
    await inbox.close();
    await store.close();

    h = await startHarness({ env: { ...env(), ...database }, dataDir });
    await h.app.inbox.drain();
    expect(fake.calls("sendMessage")).toHaveLength(1);
    expect(fake.calls("sendMessage")[0]!.text).toContain("Các lệnh của Sổ tay đảng viên");
    // Telegram delivers it again (the 200 was lost with the process): recognised, not answered twice.
    expect((await post(update)).statusCode).toBe(200);
    expect(fake.calls("sendMessage")).toHaveLength(1);
  });

  it("handles /cmd@ThisBot in groups and ignores commands for another bot", async () => {
    h = await startHarness({ env: env() });
    await post(textUpdate("/trogiup@OtherBot", { chatId: -100, chatType: "group" }));
    expect(fake.calls("sendMessage")).toHaveLength(0);
    await post(textUpdate("/trogiup@sotay_bot", { chatId: -100, chatType: "group" }));
    const [sent] = fake.calls("sendMessage");
    expect(sent!.chat_id).toBe("-100");
    expect(sent!.text).toContain("/hoi");
  });

  it("in groups answers only commands, replies to the bot and mentions of it", async () => {
    h = await startHarness({ env: env() });
    const group = { chatId: -200, chatType: "group" as const };
    await post(textUpdate("hôm nay ai trực?", group));
    expect(fake.calls("sendMessage")).toHaveLength(0);
    await post(textUpdate("@sotay_bot mức đóng đảng phí của đảng viên hưu trí", group));
    expect(fake.calls("sendMessage")[0]!.text).toContain("0,5% lương hưu");
    const reply = textUpdate("còn đảng viên dự bị thì bao lâu xét chính thức?", group);
    (reply.message as Record<string, unknown>).reply_to_message = {
      message_id: 1,
      date: 1,
      chat: { id: -200, type: "group" },
      from: { id: 42, is_bot: true, first_name: "Sổ tay", username: "sotay_bot" },
      text: "…",
    };
    await post(reply);
    expect(fake.calls("sendMessage")[1]!.text).toContain("mười hai tháng");
  });

  it("turns a button press into a choice for the features and answers the callback query", async () => {
    const pressed: string[] = [];
    const feature: ConversationFeature = {
      name: "test",
      commands: { diemdanh: async () => [{ text: "Đồng chí có mặt không?", choices: [{ label: "✅ Có mặt", value: "att:7:yes" }] }] },
      onChoice: async (m) => (pressed.push(`${m.userId}:${m.choice}`), [{ text: "Đã ghi nhận." }]),
    };
    h = await startHarness({ env: env(), features: [feature] });
    await post(textUpdate("/diemdanh"));
    expect(fake.calls("sendMessage")[0]!.reply_markup).toEqual({ inline_keyboard: [[{ text: "✅ Có mặt", callback_data: "att:7:yes" }]] });
    const res = await post({
      update_id: nextUpdateId++,
      callback_query: {
        id: "cb1",
        from: { id: 555, is_bot: false, first_name: "An" },
        chat_instance: "ci",
        data: "att:7:yes",
        message: { message_id: 1, date: 1, chat: { id: 555, type: "private" }, text: "Đồng chí có mặt không?" },
      },
    });
    expect(res.statusCode).toBe(200);
    expect(pressed).toEqual(["555:att:7:yes"]);
    expect(fake.calls("answerCallbackQuery")).toEqual([expect.objectContaining({ callback_query_id: "cb1" })]);
    expect(fake.calls("sendMessage").at(-1)!.text).toBe("Đã ghi nhận.");
  });

  it("answers stickers politely in private chats", async () => {
    h = await startHarness({ env: env() });
    await post({ update_id: nextUpdateId++, message: { ...textUpdate("").message, text: undefined, sticker: { file_id: "s" } } });
    expect(fake.calls("sendMessage")[0]!.text).toContain("tin nhắn chữ");
  });

  it("waits out a 429 (retry_after) and delivers the reply from the outbox", async () => {
    h = await startHarness({ env: env(), deps: { outbox: { idlePollMs: 20 } } });
    fake.failNext("sendMessage", 429, { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
    expect((await post(textUpdate("/start"))).statusCode).toBe(200);
    await fake.waitFor("sendMessage", 1);
    expect(fake.refused.map((r) => r.status)).toEqual([429]);
  });

  it("retries a reply that failed transiently from the outbox, and never runs the command again", async () => {
    const runs: string[] = [];
    const feature: ConversationFeature = { name: "test", commands: { dem: async (m) => (runs.push(m.updateKey!), [{ text: `Lần ${runs.length}` }]) } };
    h = await startHarness({ env: env(), features: [feature], deps: { outbox: { idlePollMs: 20 } } });
    const update = textUpdate("/dem");
    fake.failNext("sendMessage", 502, { ok: false, error_code: 502, description: "Bad Gateway" });
    expect((await post(update)).statusCode).toBe(200);
    // The platform delivers the update again (say its acknowledgement was lost): it is recognised.
    expect((await post(update)).statusCode).toBe(200);
    await fake.waitFor("sendMessage", 1);
    expect(runs).toEqual([`telegram:${update.update_id}`]);
    expect(fake.calls("sendMessage").map((c) => c.text)).toEqual(["Lần 1"]);
    // A permanent failure (blocked by the user) is given up, not retried.
    fake.failNext("sendMessage", 403, { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" });
    expect((await post(textUpdate("/dem"))).statusCode).toBe(200);
    expect(await h.store.prisma.outboxMessage.count({ where: { status: "failed" } })).toBe(1);
  });

  it("gives an apology with a correlation id when answering fails", async () => {
    h = await startHarness({ env: env(), answerer: { answer: async () => Promise.reject(new Error("boom")) } });
    expect((await post(textUpdate("câu hỏi"))).statusCode).toBe(200);
    expect(fake.calls("sendMessage")[0]!.text).toMatch(/Xin lỗi.*Mã lỗi: [0-9a-f]{8}/s);
  });

  it("keeps tokens, secrets and message text out of the info-level log, even when sending fails", async () => {
    const lines: string[] = [];
    h = await startHarness({ env: { ...env(), LOG_LEVEL: "info" }, logLines: lines });
    const question = "mức đóng đảng phí của đảng viên hưu trí";
    await post(textUpdate(question));
    fake.failNext("sendMessage", 502, { ok: false, error_code: 502, description: "Bad Gateway" });
    await post(textUpdate("/start"));
    const log = lines.join("");
    expect(log).toContain("question answered");
    expect(log).toContain("telegram send failed");
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain(TOKEN.split(":")[1]);
    expect(log).not.toContain(SECRET);
    expect(log).not.toContain(question);
    expect(log).not.toContain("lương hưu");
  });

  it("refuses to start in webhook mode without a secret, with a clear message", async () => {
    await expect(
      startHarness({ env: { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_MODE: "webhook", TELEGRAM_API_ROOT: fake.url } }),
    ).rejects.toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    h = undefined as unknown as Harness;
  });

  it("calls setWebhook with the secret and sets the command menu when PUBLIC_URL is set", async () => {
    h = await startHarness({ env: { ...env(), PUBLIC_URL: "https://sotay.example.vn/" } });
    expect(fake.calls("setWebhook")).toEqual([
      expect.objectContaining({ url: "https://sotay.example.vn/webhooks/telegram", secret_token: SECRET }),
    ]);
    const [menu] = fake.calls("setMyCommands");
    const commands = (menu!.commands as { command: string }[]).map((c) => c.command);
    expect(commands).toEqual(["hoi", "trogiup", "start"]);
  });
});
