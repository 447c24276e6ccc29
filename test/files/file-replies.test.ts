/**
 * A reply that carries a file, on each channel: Telegram uploads it (sendDocument), the web chat
 * hands it to the page, Zalo gets a link that downloads it once and expires.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConversationFeature } from "../../core/conversation/types.js";
import { startFakeApi, type FakeApi } from "../channels/support/fake-api.js";
import { startHarness, type Harness } from "../channels/support/harness.js";

const CONTENT = new TextEncoder().encode("nội dung thử: biên bản");
const withFile: ConversationFeature = {
  name: "file-test",
  commands: {
    async tep() {
      return [{ text: "Dự thảo biên bản:", file: { fileName: "Biên bản họp #3.docx", mimeType: "application/octet-stream", content: CONTENT } }];
    },
  },
};

let fake: FakeApi;
let h: Harness;
afterEach(async () => {
  await h?.close().catch(() => undefined);
  await fake?.close();
});

describe("Telegram", () => {
  beforeEach(async () => {
    fake = await startFakeApi("telegram");
  });
  it("sends the text, then uploads the file as a document with its name", async () => {
    h = await startHarness({
      features: [withFile],
      env: { TELEGRAM_BOT_TOKEN: "123:T", TELEGRAM_WEBHOOK_SECRET: "sec", TELEGRAM_MODE: "webhook", TELEGRAM_API_ROOT: fake.url },
    });
    const update = { update_id: 1, message: { message_id: 1, date: 0, chat: { id: 7, type: "private" }, from: { id: 7, is_bot: false, first_name: "A" }, text: "/tep" } };
    const res = await h.app.inject({ method: "POST", url: "/webhooks/telegram", payload: update, headers: { "x-telegram-bot-api-secret-token": "sec" } });
    expect(res.statusCode).toBe(200);
    await h.app.inbox.drain();
    expect(fake.calls("sendMessage").map((c) => c.text)).toEqual(["Dự thảo biên bản:"]);
    const [doc] = fake.calls("sendDocument") as { chat_id: string; document: { fileName: string; content: Buffer } }[];
    expect(doc!.chat_id).toBe("7");
    expect(doc!.document.fileName).toBe("Biên bản họp #3.docx");
    expect(new Uint8Array(doc!.document.content)).toEqual(CONTENT);
  });
});

describe("web chat", () => {
  it("returns the file in the reply for the page to offer as a download", async () => {
    h = await startHarness({ features: [withFile] });
    const res = await h.app.inject({ method: "POST", url: "/api/chat", payload: { sessionId: "session-file-1", text: "/tep" } });
    const { replies } = res.json() as { replies: { text: string; file?: { fileName: string; base64: string } }[] };
    expect(replies[0]!.text).toBe("Dự thảo biên bản:");
    expect(replies[0]!.file!.fileName).toBe("Biên bản họp #3.docx");
    expect(new Uint8Array(Buffer.from(replies[0]!.file!.base64, "base64"))).toEqual(CONTENT);
  });
});

describe("Zalo", () => {
  const SECRET = "zalo-secret-123";
  beforeEach(async () => {
    fake = await startFakeApi("zalo");
  });
  const start = (extra: Record<string, string> = {}) =>
    startHarness({
      features: [withFile],
      env: { ZALO_BOT_TOKEN: "9:Z", ZALO_WEBHOOK_SECRET: SECRET, ZALO_MODE: "webhook", ZALO_API_ROOT: fake.url, DOWNLOAD_LINK_TTL_MINUTES: "5", ...extra },
    });
  const ask = async (id: string) => {
    const body = { event_name: "message.text.received", message: { message_id: id, date: Date.now(), from: { id: "z1" }, chat: { id: "z1", chat_type: "PRIVATE" }, text: "/tep" } };
    await h.app.inject({ method: "POST", url: "/webhooks/zalo", payload: body, headers: { "x-bot-api-secret-token": SECRET } });
    await h.app.inbox.drain();
  };

  it("gets a link: GET shows a page (a link preview spends nothing), POST downloads once, then 410", async () => {
    h = await start({ PUBLIC_URL: "https://bot.example.org/" });
    await ask("m1");
    const text = fake.calls("sendMessage")[0]!.text as string;
    expect(text).toContain("Dự thảo biên bản:");
    expect(text).toContain("một lần");
    expect(text).toContain("5 phút");
    const url = /https:\/\/bot\.example\.org(\/files\/[A-Za-z0-9_-]+)/.exec(text)![1]!;

    const preview = await h.app.inject({ method: "GET", url });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain("Biên bản họp #3.docx");
    expect(preview.body).toContain('<form method="post">');
    expect((await h.app.inject({ method: "GET", url })).statusCode).toBe(200);

    const download = await h.app.inject({ method: "POST", url, headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "" });
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-disposition"]).toContain("filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n");
    expect(new Uint8Array(download.rawPayload)).toEqual(CONTENT);

    const again = await h.app.inject({ method: "POST", url, headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "" });
    expect(again.statusCode).toBe(410);
    expect((await h.app.inject({ method: "GET", url })).statusCode).toBe(410);
    expect((await h.app.inject({ method: "GET", url: "/files/not-a-token" })).statusCode).toBe(410);
  });

  it("says plainly that no link can be made when the server has no PUBLIC_URL", async () => {
    h = await start();
    await ask("m2");
    const text = fake.calls("sendMessage")[0]!.text as string;
    expect(text).toContain("PUBLIC_URL");
    expect(text).not.toContain("/files/");
  });
});
