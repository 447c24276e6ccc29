import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { createTelegramSender } from "../../bot/telegram/sender.js";
import { createZaloSender } from "../../bot/zalo/sender.js";
import { ChannelSendError } from "../../core/conversation/types.js";
import { startFakeApi, type FakeApi } from "./support/fake-api.js";

const logger = pino({ level: "silent" });
const TOKEN = "123456:SECRET-token_value";

describe("Telegram sender", () => {
  let fake: FakeApi;
  beforeEach(async () => (fake = await startFakeApi("telegram")));
  afterEach(async () => fake.close());

  it("sends HTML-escaped text with bold and an inline keyboard, returning the message id", async () => {
    const sender = createTelegramSender({ token: TOKEN, apiRoot: fake.url, logger });
    const result = await sender.send("777", {
      text: "Điều **5 <a> & b_*[x](y)** ok",
      choices: [{ label: "✅ Có mặt", value: "att:1:yes" }],
    });
    const [call] = fake.calls("sendMessage");
    expect(call).toMatchObject({
      chat_id: "777",
      parse_mode: "HTML",
      text: "Điều <b>5 &lt;a&gt; &amp; b_*[x](y)</b> ok",
      reply_markup: { inline_keyboard: [[{ text: "✅ Có mặt", callback_data: "att:1:yes" }]] },
    });
    expect(result.messageId).toBe("1");
    expect(fake.all[0]!.token).toBe(TOKEN);
  });

  it("splits text over 4,096 characters and puts the buttons on the last part", async () => {
    const sender = createTelegramSender({ token: TOKEN, apiRoot: fake.url, logger });
    const paragraph = "Câu văn mẫu về sinh hoạt chi bộ. ".repeat(40).trim();
    const text = Array.from({ length: 6 }, () => paragraph).join("\n\n");
    await sender.send("1", { text, choices: [{ label: "Xem", value: "v" }] });
    const sent = fake.calls("sendMessage");
    expect(sent.length).toBeGreaterThan(1);
    for (const s of sent) expect((s.text as string).length).toBeLessThanOrEqual(4096);
    expect(sent.slice(0, -1).every((s) => s.reply_markup === undefined)).toBe(true);
    expect(sent.at(-1)!.reply_markup).toBeDefined();
    expect(sent.map((s) => s.text).join("\n\n")).toBe(text);
  });

  it("turns 429 into a retryable error carrying retry_after", async () => {
    fake.failNext("sendMessage", 429, { ok: false, error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 } });
    const sender = createTelegramSender({ token: TOKEN, apiRoot: fake.url, logger });
    const err = await sender.send("1", { text: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelSendError);
    expect(err).toMatchObject({ retryable: true, retryAfterSeconds: 7 });
  });

  it("treats 5xx and network errors as retryable and 403 as final", async () => {
    const sender = createTelegramSender({ token: TOKEN, apiRoot: fake.url, logger });
    fake.failNext("sendMessage", 502, { ok: false, error_code: 502, description: "Bad Gateway" });
    await expect(sender.send("1", { text: "x" })).rejects.toMatchObject({ retryable: true });
    fake.failNext("sendMessage", 403, { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" });
    await expect(sender.send("1", { text: "x" })).rejects.toMatchObject({ retryable: false });
    const down = createTelegramSender({ token: TOKEN, apiRoot: "http://127.0.0.1:1", logger });
    const err = await down.send("1", { text: "x" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true });
    expect(String((err as Error).message)).not.toContain("SECRET");
  });
});

describe("Zalo sender", () => {
  let fake: FakeApi;
  beforeEach(async () => (fake = await startFakeApi("zalo")));
  afterEach(async () => fake.close());

  it("sends plain text with numbered choices and remembers them", async () => {
    const remembered: unknown[] = [];
    const sender = createZaloSender({
      token: TOKEN,
      apiRoot: fake.url,
      logger,
      choiceMemory: { remember: async (_c, chatId, choices) => void remembered.push({ chatId, choices }) },
    });
    const choices = [{ label: "Có mặt", value: "yes" }, { label: "Vắng", value: "no" }];
    const result = await sender.send("abc", { text: "Họp **chi bộ** <tối nay>", choices });
    const [call] = fake.calls("sendMessage");
    expect(call!.chat_id).toBe("abc");
    expect(call!.text).toBe("Họp chi bộ <tối nay>\n\n1. Có mặt\n2. Vắng\n\nĐồng chí trả lời bằng số thứ tự (ví dụ: 1).");
    expect(result.messageId).toBe("z1");
    expect(remembered).toEqual([{ chatId: "abc", choices }]);
  });

  it("splits at 2,000 characters", async () => {
    const sender = createZaloSender({ token: TOKEN, apiRoot: fake.url, logger });
    const text = "Một câu trong văn bản hướng dẫn. ".repeat(200);
    await sender.send("abc", { text });
    const sent = fake.calls("sendMessage");
    expect(sent.length).toBeGreaterThanOrEqual(4);
    for (const s of sent) expect((s.text as string).length).toBeLessThanOrEqual(2000);
  });

  it("reads ok:false even with HTTP 200, and classifies 429/5xx/401/network", async () => {
    const sender = createZaloSender({ token: TOKEN, apiRoot: fake.url, logger });
    fake.failNext("sendMessage", 200, { ok: false, error_code: 401, description: "Unauthorized" });
    await expect(sender.send("a", { text: "x" })).rejects.toMatchObject({ retryable: false });
    fake.failNext("sendMessage", 200, { ok: false, error_code: 429, description: "Quota exceeded" });
    await expect(sender.send("a", { text: "x" })).rejects.toMatchObject({ retryable: true, retryAfterSeconds: 30 });
    fake.failNext("sendMessage", 503, "<html>down</html>");
    await expect(sender.send("a", { text: "x" })).rejects.toMatchObject({ retryable: true });
    const down = createZaloSender({ token: TOKEN, apiRoot: "http://127.0.0.1:1", logger });
    const err = await down.send("a", { text: "x" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true });
    expect(String((err as Error).message)).not.toContain("SECRET");
  });
});
