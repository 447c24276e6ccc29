/**
 * Correctly signed updates of the wrong shape get 200-and-ignore or a 4xx, never a 500,
 * on both platforms' webhooks, and the server keeps serving. The probe found 14 shapes
 * that answered 500 (a Telegram text that is a number, `chat` null, `message` an array,
 * ...); fast-check then throws thousands of random JSON shapes at both routes.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeApi, type FakeApi } from "./support/fake-api.js";
import { startHarness, type Harness } from "./support/harness.js";

const TELEGRAM_SECRET = "tg-secret_for-fuzzing";
const ZALO_SECRET = "zalo-secret-for-fuzzing";

let telegramApi: FakeApi;
let zaloApi: FakeApi;
let h: Harness;

beforeAll(async () => {
  telegramApi = await startFakeApi("telegram");
  zaloApi = await startFakeApi("zalo");
  h = await startHarness({
    env: {
      TELEGRAM_BOT_TOKEN: "1:fuzz-telegram",
      TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
      TELEGRAM_API_ROOT: telegramApi.url,
      ZALO_BOT_TOKEN: "2:fuzz-zalo",
      ZALO_WEBHOOK_SECRET: ZALO_SECRET,
      ZALO_API_ROOT: zaloApi.url,
      QUESTIONS_PER_MINUTE: "100000",
    },
  });
});
afterAll(async () => {
  await h?.close();
  await telegramApi?.close();
  await zaloApi?.close();
});

const postTelegram = (body: unknown) =>
  h.app.inject({ method: "POST", url: "/webhooks/telegram", headers: { "x-telegram-bot-api-secret-token": TELEGRAM_SECRET, "content-type": "application/json" }, payload: JSON.stringify(body) });
const postZalo = (body: unknown) =>
  h.app.inject({ method: "POST", url: "/webhooks/zalo", headers: { "x-bot-api-secret-token": ZALO_SECRET, "content-type": "application/json" }, payload: JSON.stringify(body) });

const stored = () => h.store.prisma.inboxUpdate.count();

// ------------------------------------------------------------------------- the shapes the probe found

let id = 9_000_000;
const chat = { id: 555, type: "private" };
const from = { id: 555, is_bot: false, first_name: "An" };
const probeCases: [string, unknown][] = [
  ["text is a number", { message: { message_id: 1, date: 1, chat, from, text: 42 } }],
  ["text is an object", { message: { message_id: 1, date: 1, chat, from, text: { a: 1 } } }],
  ["text is true", { message: { message_id: 1, date: 1, chat, from, text: true } }],
  ["text is null", { message: { message_id: 1, date: 1, chat, from, text: null } }],
  ["chat is missing", { message: { message_id: 1, date: 1, from, text: "hi" } }],
  ["chat is null", { message: { message_id: 1, date: 1, chat: null, from, text: "hi" } }],
  ["chat.id is a string", { message: { message_id: 1, date: 1, chat: { id: "x", type: "private" }, from, text: "hi" } }],
  ["message is an array", { message: [1, 2] }],
  ["message is a string", { message: "hello" }],
  ["message is null", { message: null }],
  ["from is a number", { message: { message_id: 1, date: 1, chat, from: 5, text: "hi" } }],
  ["callback_query.from is null", { callback_query: { id: "q", from: null, chat_instance: "c", data: "att:1:present" } }],
  ["callback_query is a number", { callback_query: 7 }],
  ["callback_query.data is an object", { callback_query: { id: "q", from, chat_instance: "c", data: { x: 1 } } }],
  ["reply_to_message is a string", { message: { message_id: 1, date: 1, chat, from, text: "hi", reply_to_message: "x" } }],
];

describe("signed updates of the wrong shape", () => {
  it.each(probeCases)("Telegram: %s → 200, ignored, nothing stored or sent", async (_name, body) => {
    const before = await stored();
    const res = await postTelegram({ update_id: id++, ...(body as object) });
    expect(res.statusCode).toBe(200);
    await h.app.inbox.drain();
    expect(await stored()).toBe(before);
  });

  it("Zalo: a message of the wrong shape → 200, ignored; no event_name at all → 400", async () => {
    const before = await stored();
    for (const message of [null, "x", [1], { message_id: {}, chat: { id: "c" } }, { message_id: "m", chat: null }, { message_id: "m", chat: { id: "c" }, text: 5 }]) {
      expect((await postZalo({ event_name: "message.text.received", message })).statusCode).toBe(200);
    }
    expect((await postZalo({ event_name: 5 })).statusCode).toBe(400);
    expect((await postZalo([])).statusCode).toBe(400);
    expect((await postZalo(null)).statusCode).toBe(400);
    expect(await stored()).toBe(before);
  });
});

// ------------------------------------------------------------------------- random shapes

/** Any JSON, or (mostly) a value of the type a field expects, so that many updates get past the edge too. */
const anyJson = fc.jsonValue({ maxDepth: 3 });
const mostly = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 5 }, { arbitrary: anyJson, weight: 1 });
const intOrAny = mostly(fc.oneof(fc.integer(), fc.nat(), fc.maxSafeNat()));
const stringOrAny = mostly(fc.string({ unit: "binary", maxLength: 300 }));
const optional = { requiredKeys: [] as never[] };

const telegramUser = mostly(fc.record({ id: intOrAny, is_bot: mostly(fc.boolean()), first_name: stringOrAny, username: stringOrAny }, optional));
const telegramChat = mostly(fc.record({ id: intOrAny, type: mostly(fc.constantFrom("private", "group", "supergroup")) }, { requiredKeys: ["id", "type"] }));
const telegramMessage = mostly(
  fc.record(
    {
      message_id: intOrAny,
      date: intOrAny,
      chat: telegramChat,
      from: telegramUser,
      text: fc.oneof(fc.constantFrom("/start", "/trogiup", "/hoi", "có mặt", "mức đóng đảng phí?", "@sotay_bot đảng phí"), stringOrAny),
      reply_to_message: mostly(fc.record({ message_id: intOrAny, from: telegramUser }, optional)),
      entities: anyJson,
    },
    { requiredKeys: ["message_id", "chat"] },
  ),
);
const telegramCallback = mostly(
  fc.record({ id: stringOrAny, from: telegramUser, data: stringOrAny, message: telegramMessage, chat_instance: stringOrAny }, { requiredKeys: ["id", "from", "data"] }),
);
/** Well-formed updates with random content: odd text, huge ids, groups, replies, button data. */
const anyText = fc.oneof(fc.string({ unit: "binary", maxLength: 500 }), fc.constantFrom("/start", "/hoi", "/trogiup@sotay_bot", "@sotay_bot đảng phí?", "1", "vắng"));
const validUser = fc.record({ id: fc.maxSafeInteger(), is_bot: fc.boolean(), first_name: fc.string() }, { requiredKeys: ["id"] });
const validChat = fc.record({ id: fc.maxSafeInteger(), type: fc.constantFrom("private", "group", "supergroup", "channel") });
const validMessage = fc.record(
  { message_id: fc.nat(), chat: validChat, from: validUser, text: anyText, reply_to_message: fc.record({ message_id: fc.nat(), from: validUser }, { requiredKeys: ["message_id"] }) },
  { requiredKeys: ["message_id", "chat"] },
);
const validTelegram = fc.oneof(
  fc.record({ update_id: fc.nat(), message: validMessage }),
  fc.record({ update_id: fc.nat(), callback_query: fc.record({ id: fc.string(), from: validUser, data: fc.string(), message: validMessage }, { requiredKeys: ["id", "from", "data"] }) }),
);
const telegramBody = fc.oneof(
  { arbitrary: validTelegram, weight: 2 },
  anyJson,
  fc.record({ update_id: mostly(fc.nat()), message: telegramMessage }, { requiredKeys: ["update_id"] }),
  fc.record({ update_id: mostly(fc.nat()), callback_query: telegramCallback }, { requiredKeys: ["update_id"] }),
  fc.record({ update_id: intOrAny, message: telegramMessage, callback_query: telegramCallback, edited_message: telegramMessage }, optional),
);

const zaloId = mostly(fc.oneof(fc.string({ minLength: 1 }), fc.integer()));
const zaloMessage = mostly(
  fc.record(
    {
      message_id: zaloId,
      date: intOrAny,
      from: mostly(fc.record({ id: zaloId, display_name: stringOrAny, is_bot: mostly(fc.boolean()) }, optional)),
      chat: mostly(fc.record({ id: zaloId, chat_type: stringOrAny }, { requiredKeys: ["id"] })),
      text: fc.oneof(fc.constantFrom("/start", "1", "vắng ốm", "đảng phí bao nhiêu?"), stringOrAny),
    },
    { requiredKeys: ["message_id", "chat"] },
  ),
);
const zaloUpdate = fc.record(
  { event_name: fc.oneof(fc.constantFrom("message.text.received", "message.image.received", "message.reaction.received", "user.follow"), stringOrAny), message: zaloMessage },
  { requiredKeys: ["event_name"] },
);
const validZaloId = fc.oneof(fc.string({ minLength: 1 }), fc.maxSafeInteger());
const validZalo = fc.record({
  event_name: fc.constantFrom("message.text.received", "message.image.received", "message.sticker.received"),
  message: fc.record(
    { message_id: validZaloId, date: fc.nat(), chat: fc.record({ id: validZaloId }), from: fc.record({ id: validZaloId, display_name: fc.string(), is_bot: fc.boolean() }, { requiredKeys: [] }), text: anyText },
    { requiredKeys: ["message_id", "chat"] },
  ),
});
const zaloBody = fc.oneof(
  { arbitrary: validZalo, weight: 2 },
  { arbitrary: fc.record({ ok: fc.constant(true), result: validZalo }), weight: 1 },
  anyJson,
  zaloUpdate,
  fc.record({ ok: fc.oneof(fc.constant(true), anyJson), result: fc.oneof(zaloUpdate, anyJson) }, optional),
);

/** Gives a body that carries a usable id a fresh one, so random updates are not taken for redeliveries of each other. */
function freshIds(body: unknown): unknown {
  if (!body || typeof body !== "object" || Array.isArray(body)) return body;
  const b = body as Record<string, unknown>;
  if (typeof b.update_id === "number") return { ...b, update_id: id++ };
  const m = b.message as Record<string, unknown> | null | undefined;
  if (m && typeof m === "object" && !Array.isArray(m) && ["string", "number"].includes(typeof m.message_id)) {
    return { ...b, message: { ...m, message_id: `${String(m.message_id)}-${id++}` } };
  }
  if (b.result && typeof b.result === "object") return { ...b, result: freshIds(b.result) };
  return body;
}

describe("random JSON shapes, correctly signed", () => {
  it("never get a 5xx from either webhook, and the server keeps serving", async () => {
    await fc.assert(
      fc.asyncProperty(telegramBody, async (body) => {
        const res = await postTelegram(freshIds(body));
        expect(res.statusCode, JSON.stringify(body)).toBeLessThan(500);
      }),
      { numRuns: 400 },
    );
    await fc.assert(
      fc.asyncProperty(zaloBody, async (body) => {
        const res = await postZalo(freshIds(body));
        expect(res.statusCode, JSON.stringify(body)).toBeLessThan(500);
      }),
      { numRuns: 400 },
    );
    await h.app.inbox.drain();

    // Many of the shapes were valid enough to be stored and processed (the property reaches the processing too).
    expect(await stored()).toBeGreaterThan(100);
    // Whatever was stored was processed: nothing failed, nothing is left waiting.
    const states = await h.store.prisma.inboxUpdate.groupBy({ by: ["status"], _count: { _all: true } });
    expect(states.filter((s) => s.status !== "done")).toEqual([]);

    // Still serving: health, and a normal update on each channel gets its answer.
    expect((await h.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    const tgBefore = telegramApi.calls("sendMessage").length;
    expect((await postTelegram({ update_id: id++, message: { message_id: 1, date: 1, chat, from, text: "/start" } })).statusCode).toBe(200);
    const zaloBefore = zaloApi.calls("sendMessage").length;
    const zaloChat = { id: "fuzz-chat-1" };
    expect((await postZalo({ event_name: "message.text.received", message: { message_id: "fuzz-last", chat: zaloChat, from: zaloChat, text: "/start" } })).statusCode).toBe(200);
    await h.app.inbox.drain();
    expect(telegramApi.calls("sendMessage").slice(tgBefore).some((c) => String(c.text).includes("Sổ tay đảng viên điện tử"))).toBe(true);
    expect(zaloApi.calls("sendMessage").slice(zaloBefore).some((c) => String(c.text).includes("Sổ tay đảng viên điện tử"))).toBe(true);
  });
});
