/**
 * Learning from members, end to end through the Telegram and Zalo webhooks and their fake
 * APIs: feedback on answers, the gaps report, teaching (`npm run admin -- teach`) a running
 * server, and a question attached once three members picked the same section.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAdmin } from "../../bot/cli/admin.js";
import { CHARTER_LIKE, REGULATION_LIKE } from "../../ingest/fixture-documents.js";
import { startFakeApi, type FakeApi } from "../channels/support/fake-api.js";
import { startHarness, type Harness } from "../channels/support/harness.js";
import { testDatabaseEnv } from "../support/database.js";
import { seedKnowledge } from "../support/seed-knowledge.js";

const SECRET = "learning-secret";
let updateId = 5000;
let fake: FakeApi;
let h: Harness;
let dataDir: string;

/** The run's database (empty on SQLite: the store is a file in DATA_DIR), shared by the server and the admin CLI. */
let database: Record<string, string>;

/** A store with the two fixture documents, and no question attached yet. */
async function seededDataDir(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-learning-"));
  fs.mkdirSync(path.join(dir, "docs"));
  fs.writeFileSync(path.join(dir, "docs", "dieu-le-mau.txt"), CHARTER_LIKE);
  fs.writeFileSync(path.join(dir, "docs", "qd999-mau.txt"), REGULATION_LIKE);
  await seedKnowledge({ DATA_DIR: dir, ...database }, [path.join(dir, "docs")]);
  return dir;
}

const env = () => ({ ...database, TELEGRAM_BOT_TOKEN: "1:T", TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_MODE: "webhook", TELEGRAM_API_ROOT: fake.url, QUESTIONS_DIR: path.join(dataDir, "none") });
const from = (userId: number) => ({ id: userId, is_bot: false, first_name: "Đồng chí" });
async function post(body: object) {
  await h.app.inject({ method: "POST", url: "/webhooks/telegram", payload: body, headers: { "x-telegram-bot-api-secret-token": SECRET } });
  await h.app.inbox.drain();
}
const ask = (userId: number, text: string) => post({ update_id: updateId++, message: { message_id: updateId, date: 0, chat: { id: userId, type: "private" }, from: from(userId), text } });
const press = (userId: number, data: string) => post({ update_id: updateId++, callback_query: { id: `cb${updateId}`, from: from(userId), chat_instance: "c", data, message: { message_id: 1, date: 0, chat: { id: userId, type: "private" } } } });
/** The last message sent to a chat: its text and buttons. */
function last(userId: number): { text: string; buttons: { text: string; callback_data: string }[] } {
  const sent = fake.calls("sendMessage").filter((c) => String(c.chat_id) === String(userId)).at(-1)!;
  const keyboard = (sent.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined)?.inline_keyboard ?? [];
  return { text: String(sent.text), buttons: keyboard.flat() };
}
async function admin(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAdmin(args, { DATA_DIR: dataDir, ...database, LOG_LEVEL: "silent" }, { out: { write: (t: string) => out.push(t) }, err: { write: (t: string) => err.push(t) } });
  return { code, out: out.join(""), err: err.join("") };
}

beforeEach(async () => {
  fake = await startFakeApi("telegram");
  database = await testDatabaseEnv();
  dataDir = await seededDataDir();
  h = await startHarness({ dataDir, env: env() });
});
afterEach(async () => {
  await h.close();
  await fake.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("feedback on answers", () => {
  it("offers 👍 / 👎 under an answer and stores the verdict with the question, under a hashed asker", async () => {
    await ask(501, "Chi uỷ họp thường lệ mỗi tháng mấy lần?");
    const { buttons } = last(501);
    const down = buttons.find((b) => b.text === "👎 Chưa đúng");
    expect(down, JSON.stringify(buttons)).toBeDefined();
    expect(buttons.find((b) => b.text === "👍 Đúng")).toBeDefined();
    await press(501, down!.callback_data);
    expect(last(501).text).toContain("Cán bộ phụ trách sẽ xem lại");
    const row = await h.store.prisma.questionLog.findFirstOrThrow({ where: { feedback: "down" } });
    expect(row.question).toBe("Chi uỷ họp thường lệ mỗi tháng mấy lần?");
    expect(row.asker).toMatch(/^[0-9a-f]{16}$/);
    expect(row.asker).not.toContain("501");
    expect(JSON.parse(row.shown)[0].citation).toMatch(/^Điều lệ Đảng/);
    // Another member cannot judge someone else's answer.
    await press(502, down!.callback_data.replace(":down", ":up"));
    expect((await h.store.prisma.questionLog.findUniqueOrThrow({ where: { id: row.id } })).feedback).toBe("down");
  });
});

describe("the gaps report and teaching", () => {
  it("lists what found nothing and what was marked wrong, similar questions grouped with counts", async () => {
    await ask(601, "lịch thi đấu bóng đá hôm nay thế nào");
    await ask(602, "lich thi dau bong da hom nay the nao?");
    await ask(603, "Chi uỷ họp thường lệ mỗi tháng mấy lần?");
    await press(603, last(603).buttons.find((b) => b.text === "👎 Chưa đúng")!.callback_data);
    const report = await admin(["questions", "--since", "30d"]);
    expect(report.code).toBe(0);
    expect(report.out).toMatch(/2×\s+lịch thi đấu bóng đá hôm nay thế nào/);
    expect(report.out).toContain("2 found nothing");
    expect(report.out).toContain("also asked as: lich thi dau bong da hom nay the nao?");
    expect(report.out).toMatch(/1×\s+Chi uỷ họp thường lệ mỗi tháng mấy lần\?/);
    expect(report.out).toContain("1 marked wrong (quoted Điều lệ Đảng");
    const unanswered = await admin(["questions", "--unanswered"]);
    expect(unanswered.out).not.toContain("Chi uỷ họp");
    const csv = await admin(["questions", "--disliked", "--csv"]);
    expect(csv.out).toContain('"Chi uỷ họp thường lệ mỗi tháng mấy lần?"');
    expect((await admin(["questions", "--since", "yesterday"])).code).toBe(2);
  });

  it("teach: a running server answers the taught question from that section at once", async () => {
    const question = "chi bộ phải có tối thiểu bao nhiêu người mới được lập";
    await ask(701, question);
    const before = last(701).text;
    const taught = await admin(["teach", question, "Điều lệ Đảng", "Điều 3, khoản 1"]);
    expect(taught.err).toBe("");
    expect(taught.out).toMatch(/^Attached to dieu-le-mau.txt, section ch2\/d3\/n1/);
    await ask(701, question);
    const after = last(701);
    expect(after.text).toContain("Chi bộ được lập khi có từ ba đảng viên chính thức");
    expect(after.text).toContain("Nguồn:");
    expect(after.text).toMatch(/Điều lệ Đảng, Điều 3/);
    expect(after.buttons.some((b) => b.text === "👍 Đúng")).toBe(true);
    void before;
    // Clear refusals for what cannot be taught.
    expect((await admin(["teach", question, "Quy định 1234", "1.1"])).err).toMatch(/no document named "Quy định 1234"/);
    expect((await admin(["teach", question, "Điều lệ Đảng", "Điều 99"])).err).toMatch(/section "Điều 99" is not in dieu-le-mau.txt/);
    expect((await admin(["teach", question])).code).toBe(2);
  });
});

describe("members' picks", () => {
  it("attach a question to the section three different members picked for it", async () => {
    // Two words, several sections plausible: the bot asks which one is meant.
    const question = "chi bo";
    for (const userId of [801, 802, 803]) {
      await ask(userId, question);
      expect(last(userId).text).toContain("Đồng chí muốn hỏi về:");
      const pick = last(userId).buttons.find((b) => b.text.includes("Điều lệ Đảng, Điều 3"));
      expect(pick, JSON.stringify(last(userId).buttons)).toBeDefined();
      expect(await h.store.prisma.sectionQuestion.count({ where: { origin: "picked" } })).toBe(0);
      await press(userId, pick!.callback_data);
      expect(last(userId).text).toContain("Chi bộ được lập khi có từ ba đảng viên chính thức");
    }
    const attached = await h.store.prisma.sectionQuestion.findMany({ where: { origin: "picked" } });
    // The chapter's one article is one passage: the section picked is the chapter's.
    expect(attached.map((q) => [q.text, q.source, q.sectionPath])).toEqual([["chi bo", "dieu-le-mau.txt", "ch2"]]);
    // The next member asking it gets that section first.
    await ask(804, question);
    const next = last(804);
    if (next.text.includes("Đồng chí muốn hỏi về:")) expect(next.buttons[0]!.text).toContain("Điều lệ Đảng, Điều 3");
    else expect(next.text).toContain("Chi bộ được lập khi có từ ba đảng viên chính thức");
  });

  it("do not count when they come from the web chat, whose sessions anyone can make", async () => {
    for (const session of ["web-session-aaaa1", "web-session-aaaa2", "web-session-aaaa3"]) {
      const asked = await h.app.inject({ method: "POST", url: "/api/chat", payload: { sessionId: session, text: "chi bo" } });
      const choice = (asked.json() as { replies: { choices?: { label: string; value: string }[] }[] }).replies[0]!.choices!.find((c) => c.label.includes("Điều lệ Đảng, Điều 3"))!;
      await h.app.inject({ method: "POST", url: "/api/chat", payload: { sessionId: session, choice: choice.value } });
    }
    expect(await h.store.prisma.questionLog.count({ where: { pickedPath: "ch2" } })).toBe(3);
    expect(await h.store.prisma.sectionQuestion.count({ where: { origin: "picked" } })).toBe(0);
  });
});

describe("retention", () => {
  it("deletes members' questions older than QUESTION_LOG_DAYS", async () => {
    await ask(901, "Chi uỷ họp thường lệ mỗi tháng mấy lần?");
    await h.store.prisma.questionLog.updateMany({ data: { createdAt: new Date(Date.now() - 200 * 86_400_000) } });
    await ask(902, "Chi uỷ họp thường lệ mỗi tháng mấy lần?");
    const { createQuestionLog } = await import("../../core/learning/question-log.js");
    const log = createQuestionLog({ prisma: h.store.prisma, store: h.store, pseudonym: async () => "x", autoTeachPicks: 0, countPicksFrom: [], logger: pino({ level: "silent" }) });
    expect(await log.prune(180)).toBe(1);
    expect(await h.store.prisma.questionLog.count()).toBe(1);
  });
});

describe("feedback on Zalo, which has no buttons", () => {
  it("asks for a typed “đúng” / “sai” instead of numbering it, and records “sai”", async () => {
    const zalo = await startFakeApi("zalo");
    const z = await startHarness({ dataDir, env: { ...database, ZALO_BOT_TOKEN: "9:Z", ZALO_WEBHOOK_SECRET: "zalo-secret-1", ZALO_MODE: "webhook", ZALO_API_ROOT: zalo.url } });
    try {
      const say = async (text: string, id: string) => {
        const message = { message_id: id, date: Date.now(), from: { id: "zuser1" }, chat: { id: "zuser1", chat_type: "PRIVATE" }, text };
        await z.app.inject({ method: "POST", url: "/webhooks/zalo", payload: { event_name: "message.text.received", message }, headers: { "x-bot-api-secret-token": "zalo-secret-1" } });
        await z.app.inbox.drain();
        return String(zalo.calls("sendMessage").at(-1)!.text);
      };
      const answer = await say("Chi uỷ họp thường lệ mỗi tháng mấy lần?", "zm1");
      expect(answer).toContain("Câu trả lời có đúng ý đồng chí không? Đồng chí trả lời “đúng” hoặc “sai”.");
      expect(answer).not.toMatch(/^\d\. .*Đúng/m);
      expect(await say("sai", "zm2")).toContain("Cán bộ phụ trách sẽ xem lại");
      const row = await z.store.prisma.questionLog.findFirstOrThrow({ where: { channel: "zalo" } });
      expect(row.feedback).toBe("down");
      // Without an answer to judge, "sai" is just a question.
      await z.store.prisma.conversationState.deleteMany();
      expect(await say("sai", "zm3")).not.toContain("Cán bộ phụ trách");
    } finally {
      await z.close();
      await zalo.close();
    }
  });
});
