/**
 * ConversationFeature.onQuestion: a question, typed or after /hoi, is offered to the features before
 * the search; one may answer it itself (no search runs) or put a line above the search's answer.
 */
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { Answer, Answerer } from "../search/types.js";
import { createConversation } from "./conversation.js";
import type { ConversationFeature, IncomingMessage } from "./types.js";

const logger = pino({ level: "silent" });
const msg = (text: string): IncomingMessage => ({ channel: "web", chatId: "1", userId: "u1", text, kind: "text" });

describe("features see a question before the search", () => {
  it("answer it themselves (no search), add a line above the answer, or leave it alone", async () => {
    const searched: string[] = [];
    const answerer: Answerer = {
      async answer(question): Promise<Answer> {
        searched.push(question);
        return { question, mode: "none", answered: false, passages: [], offered: 0, highlights: [] };
      },
    };
    const feature: ConversationFeature = {
      name: "test",
      async onQuestion(_m, q) {
        if (q.startsWith("Điều 5")) return { replies: [{ text: `mở ${q}` }] };
        if (q.includes("Quy định 24")) return { preface: "ℹ️ đã được thay thế" };
        return null;
      },
    };
    const c = createConversation({ answerer, features: [feature], logger });
    expect((await c.handle(msg("Điều 5 Điều lệ")))[0]!.text).toBe("mở Điều 5 Điều lệ");
    expect((await c.handle(msg("/hoi Điều 5 Điều lệ")))[0]!.text).toBe("mở Điều 5 Điều lệ");
    expect(searched).toEqual([]);
    const [prefaced] = await c.handle(msg("Quy định 24 nói gì?"));
    expect(prefaced!.text.startsWith("ℹ️ đã được thay thế\n\nChưa tìm thấy")).toBe(true);
    const [plain] = await c.handle(msg("đảng phí"));
    expect(plain!.text.startsWith("Chưa tìm thấy")).toBe(true);
    expect(searched).toEqual(["Quy định 24 nói gì?", "đảng phí"]);
  });
});
