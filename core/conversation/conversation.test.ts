import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { loadConfig } from "../config.js";
import { openStore } from "../db/store.js";
import { createStateStore } from "./state-store.js";
import { createConversation } from "./conversation.js";
import { createRateLimiter } from "./rate-limiter.js";
import type { Answer, Answerer } from "../search/types.js";
import type { ConversationFeature, IncomingMessage } from "./types.js";

const logger = pino({ level: "silent" });

/** A test double answering from one fixed passage when the question mentions "đảng phí". */
const answerer: Answerer = {
  async answer(question: string): Promise<Answer> {
    if (!/đảng phí/i.test(question)) return { question, mode: "none", answered: false, passages: [], offered: 0, highlights: [] };
    return {
      question,
      mode: "answer",
      answered: true,
      offered: 0,
      passages: [
        {
          passageId: 1,
          source: "qd-342.txt",
          title: "Quy định về chế độ đảng phí",
          number: "342-QĐ/TW",
          heading: "Điều 2 › Mức đóng",
          text: "Đảng viên đóng đảng phí hằng tháng. Mức đóng là 1% thu nhập <sau thuế> & phụ cấp.",
          score: 0.9,
        },
        { passageId: 2, source: "hd.txt", title: "Hướng dẫn 12", heading: "Mục 3", text: "Chi bộ thu đảng phí.", score: 0.5 },
      ],
      highlights: [
        { passageId: 1, sentence: "Mức đóng là 1% thu nhập <sau thuế> & phụ cấp." },
        { passageId: 2, sentence: "Chi bộ thu đảng phí." },
      ],
    };
  },
};

const msg = (text: string, extra: Partial<IncomingMessage> = {}): IncomingMessage => ({
  channel: "telegram",
  chatId: "1",
  userId: "u1",
  text,
  kind: "text",
  ...extra,
});

describe("conversation core", () => {
  it("greets on /start and lists core and feature commands on /trogiup", async () => {
    const feature: ConversationFeature = { name: "meetings", helpLines: ["/hop – xem lịch họp chi bộ"] };
    const c = createConversation({ answerer, features: [feature], logger });
    const [hello] = await c.handle(msg("/start"));
    expect(hello!.text).toContain("Sổ tay đảng viên điện tử");
    const [help] = await c.handle(msg("/trogiup"));
    expect(help!.text).toContain("/hoi");
    expect(help!.text).toContain("/hop – xem lịch họp chi bộ");
  });

  it("answers a greeting or thanks typed as a message without searching", async () => {
    const asked: string[] = [];
    const spy: Answerer = { answer: (q) => (asked.push(q), answerer.answer(q)) };
    const c = createConversation({ answerer: spy, logger });
    const [hello] = await c.handle(msg("xin chao ban"));
    expect(hello!.text).toContain("Sổ tay đảng viên điện tử");
    const [thanks] = await c.handle(msg("Cảm ơn nhé!"));
    expect(thanks!.text).toMatch(/^Không có gì/);
    expect(asked).toEqual([]);
    await c.handle(msg("chào cờ trong lễ kết nạp"));
    expect(asked).toEqual(["chào cờ trong lễ kết nạp"]);
  });

  it("lists its commands with their help descriptions for a command menu", () => {
    const feature: ConversationFeature = { name: "meetings", helpLines: ["/lichhop — xem các cuộc họp sắp tới", "Trả lời 1 hoặc 2"] };
    const menu = createConversation({ answerer, features: [feature], logger }).menu();
    expect(menu.map((e) => e.command)).toEqual(["hoi", "trogiup", "start", "lichhop"]);
    expect(menu.at(-1)).toEqual({ command: "lichhop", description: "xem các cuộc họp sắp tới" });
  });

  it("accepts accents, case and Telegram's /cmd@BotName form", async () => {
    const c = createConversation({ answerer, logger });
    const [a] = await c.handle(msg("/Trợ_Giúp"));
    const [b] = await c.handle(msg("/TROGIUP@SoTayBot"));
    expect(a!.text).toContain("/hoi");
    expect(b!.text).toBe(a!.text);
    const [spaced] = await c.handle(msg("/Trợ giúp"));
    expect(spaced!.text).toBe(a!.text);
    const [q] = await c.handle(msg("/Hỏi@SoTayBot mức đóng đảng phí?"));
    expect(q!.text).toContain("**Mức đóng là 1% thu nhập <sau thuế> & phụ cấp.**");
  });

  it("answers plain text with the sentence in bold, the citation and a second passage", async () => {
    const c = createConversation({ answerer, logger });
    const [reply] = await c.handle(msg("mức đóng đảng phí là bao nhiêu"));
    expect(reply!.text).toMatch(/^Đảng viên đóng đảng phí hằng tháng\. \*\*Mức đóng/);
    expect(reply!.text).toContain("Nguồn:** Quy định về chế độ đảng phí (số 342-QĐ/TW) › Điều 2 › Mức đóng");
    expect(reply!.text).toContain("Xem thêm:** Chi bộ thu đảng phí (Hướng dẫn 12)");
    expect(reply!.choices).toEqual([{ label: "Xem thêm: Chi bộ thu đảng phí (Hướng dẫn 12)", value: "open:2" }]);
  });

  it("says it has not found an answer and how to rephrase", async () => {
    const c = createConversation({ answerer, logger });
    const [reply] = await c.handle(msg("thời tiết hôm nay"));
    expect(reply!.text).toMatch(/^Chưa tìm thấy/);
    expect(reply!.text).toContain("diễn đạt lại");
  });

  it("limits questions per user per minute, politely", async () => {
    let t = 0;
    const c = createConversation({ answerer, logger, rateLimiter: createRateLimiter({ perMinute: 2, now: () => t }) });
    await c.handle(msg("đảng phí?"));
    await c.handle(msg("đảng phí?"));
    const [limited] = await c.handle(msg("đảng phí?"));
    expect(limited!.text).toContain("hỏi nhanh quá");
    const [other] = await c.handle(msg("đảng phí?", { userId: "u2" }));
    expect(other!.text).toContain("Nguồn");
    t = 61_000;
    const [again] = await c.handle(msg("đảng phí?"));
    expect(again!.text).toContain("Nguồn");
  });

  it("lets features take commands, text and choices before questions", async () => {
    const seen: string[] = [];
    const feature: ConversationFeature = {
      name: "meetings",
      commands: { hop: async (_m, args) => [{ text: `lịch họp ${args}` }] },
      onText: async (m) => (m.text === "lý do: ốm" ? [{ text: "đã ghi lý do" }] : null),
      onChoice: async (m) => (seen.push(m.choice!), m.choice === "att:yes" ? [{ text: "đã điểm danh" }] : null),
    };
    const c = createConversation({ answerer, features: [feature], logger });
    expect((await c.handle(msg("/HỌP tháng 12")))[0]!.text).toBe("lịch họp tháng 12");
    expect((await c.handle(msg("lý do: ốm")))[0]!.text).toBe("đã ghi lý do");
    expect((await c.handle(msg("", { kind: "choice", choice: "att:yes" })))[0]!.text).toBe("đã điểm danh");
    expect((await c.handle(msg("", { kind: "choice", choice: "zzz" })))[0]!.text).toContain("hết hiệu lực");
    expect((await c.handle(msg("/khongco")))[0]!.text).toContain("chưa hiểu lệnh /khongco");
    expect((await c.handle(msg("", { kind: "other" })))[0]!.text).toContain("tin nhắn chữ");
  });

  it("offers sections to pick when none stands out, and opens the picked one with the question's answer in bold", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-conv-"));
    const store = await openStore(loadConfig({ DATA_DIR: dir, LOG_LEVEL: "silent" }));
    try {
      const dues = (await answerer.answer("đảng phí")).passages;
      const picking: Answerer = {
        answer: async (question) => ({ question, mode: "choices", answered: false, passages: dues, offered: 2, highlights: [] }),
        passage: async (id, question) => {
          const p = dues.find((d) => d.passageId === id);
          return p && { question: question ?? "", mode: "answer", answered: true, passages: [p], offered: 0, highlights: question ? [{ passageId: id, sentence: `Câu trả lời cho: ${question}` }] : [] };
        },
      };
      const c = createConversation({ answerer: picking, logger, state: createStateStore(store) });
      const [ask] = await c.handle(msg("chi bộ thu đảng phí thế nào"));
      expect(ask!.text).toContain("Đồng chí muốn hỏi về:");
      expect(ask!.choices!.map((ch) => ch.value)).toEqual(["open:1", "open:2"]);
      const [opened] = await c.handle(msg("", { kind: "choice", choice: "open:2" }));
      expect(opened!.text).toContain("**Câu trả lời cho: chi bộ thu đảng phí thế nào**");
      expect(opened!.text).toContain("Nguồn:");
      // A passage that no longer exists (the document was re-ingested) is an expired choice.
      expect((await c.handle(msg("", { kind: "choice", choice: "open:99" })))[0]!.text).toContain("hết hiệu lực");
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("never throws: a failing handler gives an apology whose id is in the log", async () => {
    const lines: string[] = [];
    const captured = pino({ level: "info" }, { write: (s: string) => void lines.push(s) });
    const broken: Answerer = { answer: async () => { throw new Error("index gone"); } };
    const c = createConversation({ answerer: broken, logger: captured });
    const [reply] = await c.handle(msg("câu hỏi bất kỳ"));
    const id = /Mã lỗi: ([0-9a-f]{8})/.exec(reply!.text)?.[1];
    expect(id).toBeDefined();
    expect(lines.some((l) => l.includes(id!) && l.includes("index gone"))).toBe(true);
    expect(lines.join("")).not.toContain("câu hỏi bất kỳ");
  });

  it("shows typing only for a question whose search outlasts the typing delay", async () => {
    let searching = 0;
    const slow: Answerer = { answer: async (q) => (await new Promise((r) => setTimeout(r, 60)), answerer.answer(q)) };
    const c = createConversation({ answerer: slow, logger, typingDelayMs: 10 });
    await c.handle(msg("/start"), { onSearching: () => searching++ });
    await c.handle(msg("đảng phí"), { onSearching: () => searching++ });
    expect(searching).toBe(1);
    const quick = createConversation({ answerer, logger, typingDelayMs: 10 });
    await quick.handle(msg("đảng phí"), { onSearching: () => searching++ });
    expect(searching).toBe(1);
  });
});
