/**
 * Another process holding the database (an import, a backup, a stuck script) must not
 * freeze the server: /healthz keeps answering, /readyz says 503, and a webhook update
 * that cannot be stored is answered 503 (never 200), so the platform delivers it again
 * and nothing is lost. How fast /healthz stays is measured by `npm run bench:chaos`.
 */
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeApi, type FakeApi } from "./support/fake-api.js";
import { startHarness, type Harness } from "./support/harness.js";

const SECRET = "locked-db-secret";

describe("a database locked by another process", () => {
  let fake: FakeApi;
  let h: Harness;
  beforeEach(async () => {
    fake = await startFakeApi("telegram");
    h = await startHarness({ env: { TELEGRAM_BOT_TOKEN: "1:locked", TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.url } });
  });
  afterEach(async () => {
    await h.close();
    await fake.close();
  });

  const post = (updateId: number) =>
    h.app.inject({
      method: "POST",
      url: "/webhooks/telegram",
      headers: { "x-telegram-bot-api-secret-token": SECRET },
      payload: { update_id: updateId, message: { message_id: 1, date: 1, chat: { id: 77, type: "private" }, from: { id: 77, is_bot: false, first_name: "An" }, text: "/start" } },
    });

  it("keeps /healthz up, makes /readyz 503, answers updates 503 until it can store them, then loses none", async () => {
    expect((await h.app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(200);
    const other = new Database(h.store.file);
    other.exec("BEGIN EXCLUSIVE");
    other.exec(`INSERT INTO "ConversationState" (channel, chatId, data, expiresAt, updatedAt) VALUES ('x', 'y', '{}', '2030', '2030')`);
    try {
      expect((await h.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
      const ready = await h.app.inject({ method: "GET", url: "/readyz" });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: "database locked" });
      const during = await post(501);
      expect(during.statusCode).toBe(503);
      expect(during.headers["retry-after"]).toBeDefined();
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    expect((await h.app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(200);
    // The platform delivers the update again: now it is stored, acknowledged and answered, once.
    expect((await post(501)).statusCode).toBe(200);
    await h.app.inbox.drain();
    expect(fake.calls("sendMessage")).toHaveLength(1);
    expect(fake.calls("sendMessage")[0]!.text).toContain("Sổ tay đảng viên điện tử");
  });
});
