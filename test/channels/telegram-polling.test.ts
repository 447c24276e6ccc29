import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { startHarness, type Harness } from "./support/harness.js";
import { freePort } from "../support/free-port.js";

const TOKEN = "424242:TEST-polling-token";


describe("Telegram long polling against telegram-test-api", () => {
  let server: TelegramServer;
  let h: Harness;

  beforeAll(async () => {
    server = new TelegramServer({ port: await freePort(), host: "127.0.0.1", storeTimeout: 60 });
    await server.start();
    h = await startHarness({ env: { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_MODE: "polling", TELEGRAM_API_ROOT: server.config.apiURL } });
  });

  afterAll(async () => {
    await h?.close(); // stops polling
    await server?.stop();
  });

  it("receives a question by polling and answers it with the citation", async () => {
    const client = server.getClient(TOKEN, { timeout: 10_000 });
    await client.sendMessage(client.makeMessage("Đảng viên dự bị được bao lâu thì xét chuyển chính thức?"));
    const updates = await client.getUpdates();
    const texts = updates.result.map((u) => u.message.text);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain("mười hai tháng");
    expect(texts[0]).toContain("<b>Nguồn:</b> Sổ tay thử nghiệm: Đảng phí");
  });

  it("answers /start sent as a command", async () => {
    const client = server.getClient(TOKEN, { timeout: 10_000 });
    await client.sendCommand(client.makeCommand("/start"));
    const updates = await client.getUpdates();
    expect(updates.result[0]!.message.text).toContain("Sổ tay đảng viên điện tử");
  });
});
