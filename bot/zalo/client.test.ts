import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ZaloApiError, ZaloClient, ZaloNetworkError } from "./client.js";
import { startFakeApi, type FakeApi } from "../../test/channels/support/fake-api.js";

const TOKEN = "2024:zalo-SECRET-part";

describe("Zalo client", () => {
  let fake: FakeApi;
  beforeEach(async () => (fake = await startFakeApi("zalo")));
  afterEach(async () => fake.close());

  it("POSTs JSON to /bot<token>/<method> and returns result", async () => {
    const zalo = new ZaloClient({ token: TOKEN, apiRoot: fake.url + "/" });
    expect((await zalo.getMe()).account_type).toBe("BASIC");
    expect(await zalo.setWebhook({ url: "https://x.vn/webhooks/zalo", secret_token: "12345678" })).toMatchObject({ url: "https://x.vn/webhooks/zalo" });
    expect((await zalo.getWebhookInfo()).url).toBe("");
    await zalo.deleteWebhook();
    await zalo.sendChatAction({ chat_id: "c", action: "typing" });
    expect(await zalo.sendMessage({ chat_id: "c", text: "chào" })).toMatchObject({ message_id: expect.any(String) });
    expect(fake.all.map((c) => c.method)).toEqual(["getMe", "setWebhook", "getWebhookInfo", "deleteWebhook", "sendChatAction", "sendMessage"]);
    expect(fake.all.every((c) => c.token === TOKEN)).toBe(true);
  });

  it("types errors, reads ok:false under HTTP 200, and scrubs the token from messages", async () => {
    const zalo = new ZaloClient({ token: TOKEN, apiRoot: fake.url });
    fake.failNext("getMe", 200, { ok: false, error_code: 401, description: `Unauthorized token ${TOKEN}` });
    const err = await zalo.getMe().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloApiError);
    expect(err).toMatchObject({ error_code: 401, retryable: false, status: 200 });
    expect((err as Error).message).not.toContain("SECRET");
    fake.failNext("getUpdates", 200, { ok: false, error_code: 408, description: "Request timeout" });
    expect(await zalo.getUpdates({ timeout: 1 })).toEqual([]);
    const down = new ZaloClient({ token: TOKEN, apiRoot: "http://127.0.0.1:1" });
    const net = await down.getMe().catch((e: unknown) => e);
    expect(net).toBeInstanceOf(ZaloNetworkError);
    expect((net as Error).message).not.toContain("SECRET");
  });
});
