/**
 * The webhook's acknowledgement on PostgreSQL (bot/webhook-ack.ts): a slow insert is waited for
 * up to ACK_DEADLINE_MS.postgresql, not SQLite's 250 ms, so a busy database does not turn into
 * redeliveries; past it the platform is answered 503, and the update, stored meanwhile, is
 * still answered once (the redelivery is recognised). The inbox table is held locked by
 * another connection to make the insert slow.
 */
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ACK_DEADLINE_MS } from "../../bot/webhook-ack.js";
import { TEST_ENGINE } from "../support/database.js";
import { startFakeApi, type FakeApi } from "./support/fake-api.js";
import { startHarness, type Harness } from "./support/harness.js";

const SECRET = "ack-secret-1";

describe.runIf(TEST_ENGINE === "postgresql")("the webhook's acknowledgement on PostgreSQL", () => {
  let h: Harness;
  let fake: FakeApi;
  let locker: pg.Client;
  beforeEach(async () => {
    fake = await startFakeApi("telegram");
    h = await startHarness({ env: { TELEGRAM_BOT_TOKEN: "1:ACK", TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_MODE: "webhook", TELEGRAM_API_ROOT: fake.url } });
    locker = new pg.Client({ connectionString: h.config.DATABASE_URL });
    await locker.connect();
  });
  afterEach(async () => {
    await locker.end().catch(() => undefined);
    await h.close();
    await fake.close();
  });

  const post = (updateId: number, text: string) =>
    h.app.inject({
      method: "POST",
      url: "/webhooks/telegram",
      payload: { update_id: updateId, message: { message_id: updateId, date: 0, chat: { id: 77, type: "private" }, from: { id: 77, is_bot: false, first_name: "A" }, text } },
      headers: { "x-telegram-bot-api-secret-token": SECRET },
    });
  /** Holds the inbox table locked for `ms` (writes wait), then lets go. */
  async function lockInboxFor(ms: number): Promise<void> {
    await locker.query(`BEGIN; LOCK TABLE "InboxUpdate" IN EXCLUSIVE MODE`);
    setTimeout(() => void locker.query("COMMIT"), ms);
  }

  it("waits out a slow insert longer than SQLite's deadline and answers 200", async () => {
    expect(ACK_DEADLINE_MS.postgresql).toBeGreaterThan(ACK_DEADLINE_MS.sqlite);
    await lockInboxFor(ACK_DEADLINE_MS.sqlite * 3);
    expect((await post(1, "/start")).statusCode).toBe(200);
    await h.app.inbox.drain();
    await fake.waitFor("sendMessage", 1);
  });

  it("answers 503 past the deadline; the update stored meanwhile is answered once, and its redelivery recognised", async () => {
    await lockInboxFor(ACK_DEADLINE_MS.postgresql + 1000);
    expect((await post(2, "/start")).statusCode).toBe(503);
    // The platform delivers it again; by then the first insert has committed.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await post(2, "/start")).statusCode).toBe(200);
    await fake.waitFor("sendMessage", 1, 15_000); // picked up by the inbox's poll
    await new Promise((r) => setTimeout(r, 2500)); // a second answer would come by now
    expect(fake.calls("sendMessage")).toHaveLength(1);
    expect(await h.store.prisma.inboxUpdate.count()).toBe(1);
  });
});
