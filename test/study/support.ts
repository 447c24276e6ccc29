/**
 * Fixtures for study, evaluation and minutes tests: small documents written straight into the
 * knowledge base's Document and Section tables (our own wording), the conversation core over the
 * features under test, and the real Telegram and Zalo senders against the fake platform APIs.
 */
import type { Store } from "../../core/db/store.js";
import { createConversation, type Conversation } from "../../core/conversation/conversation.js";
import type { ConversationStateStore } from "../../core/conversation/state-store.js";
import type { ChannelSender, ConversationFeature, IncomingMessage, OutgoingMessage } from "../../core/conversation/types.js";
import { createLogger } from "../../core/logger.js";
import type { Answerer } from "../../core/search/types.js";
import { createTelegramSender } from "../../bot/telegram/sender.js";
import type { FileLinks } from "../../bot/files/links.js";
import { resolveNumberedReply, zaloChoiceMemory } from "../../bot/zalo/choices.js";
import { createZaloSender } from "../../bot/zalo/sender.js";
import type { OutboxWorker } from "../../core/outbox/worker.js";
import type { FakeApi } from "../channels/support/fake-api.js";
import { testOutboxWorker, type FakeClock } from "../meetings/helpers.js";

/** Questions are not what these tests are about: every question gets "not found". */
const noAnswers: Answerer = { answer: async (question) => ({ question, mode: "none", answered: false, passages: [], offered: 0, highlights: [] }) };

const logger = createLogger({ LOG_LEVEL: "silent" });

/** A charter-like document (chapters, articles, clauses) and a second, numbered one. */
export async function seedDocuments(store: Store) {
  const charter = await store.prisma.document.create({
    data: { source: "dieu-le-mau.txt", path: "/t/dieu-le-mau.txt", sha256: "x1", format: "txt", title: "Điều lệ mẫu của chi bộ", docType: "Điều lệ", issuedOn: "01/01/2026" },
  });
  const sections = [
    { path: "mo-dau", kind: "intro", marker: "", title: "", depth: 0, text: "Lời nói đầu của Điều lệ mẫu." },
    { path: "ch1", kind: "chapter", marker: "Chương I", title: "Đảng viên", depth: 1, text: "Chương I\nĐẢNG VIÊN" },
    { path: "ch1/d1", kind: "article", marker: "Điều 1.", title: "", depth: 2, text: "Điều 1.\nĐảng viên là chiến sĩ tiên phong." },
    { path: "ch1/d1/n1", kind: "num", marker: "1.", title: "", depth: 3, text: "1. Đảng viên phải học tập suốt đời." },
    { path: "ch1/d2", kind: "article", marker: "Điều 2.", title: "", depth: 2, text: "Điều 2.\nĐảng viên đóng đảng phí hằng tháng." },
    { path: "ch2", kind: "chapter", marker: "Chương II", title: "Chi bộ", depth: 1, text: "Chương II\nCHI BỘ" },
    { path: "ch2/d3", kind: "article", marker: "Điều 3.", title: "", depth: 2, text: "Điều 3.\nChi bộ họp mỗi tháng một lần." },
  ];
  const ids: Record<string, number> = {};
  for (const [ordinal, s] of sections.entries()) {
    const row = await store.prisma.section.create({ data: { ...s, documentId: charter.id, ordinal, alias: s.path === "ch1/d1" ? "Đảng viên là ai" : null } });
    ids[s.path] = row.id;
  }
  await store.prisma.document.create({
    data: { source: "quy-dinh-mau.md", path: "/t/quy-dinh-mau.md", sha256: "x2", format: "md", title: "Quy định mẫu về sinh hoạt", number: "99-QĐ/M", docType: "Quy định" },
  });
  return { charter, sectionIds: ids };
}

/** The conversation core with these features (in this order) and no Q&A. */
export function conversationWith(features: ConversationFeature[]): Conversation {
  return createConversation({ answerer: noAnswers, features, logger });
}

/** The real senders (Telegram HTML + buttons, Zalo numbered menus) against fake APIs, and an outbox worker on the fake clock. */
export function realDelivery(options: { telegram: FakeApi; zalo: FakeApi; state: ConversationStateStore; store: Store; clock: FakeClock; fileLinks?: FileLinks }) {
  const telegram = createTelegramSender({ token: "123456:TEST", apiRoot: options.telegram.url, logger });
  const zalo = createZaloSender({ token: "1:zalo", apiRoot: options.zalo.url, logger, choiceMemory: zaloChoiceMemory(options.state), fileLinks: options.fileLinks });
  const worker: OutboxWorker = testOutboxWorker(options.store, {
    senders: [telegram, zalo],
    limits: { telegram: { perSecond: 1000 }, zalo: { perSecond: 1000 } },
    clock: options.clock.now,
  });
  /** What the Zalo adapter does with a member's text: numbered replies mapped, replies sent; returns the texts Zalo received. */
  async function zaloChat(conversation: Conversation, userId: string, text: string): Promise<string> {
    const before = options.zalo.calls("sendMessage").length;
    const message = await resolveNumberedReply(options.state, { channel: "zalo", chatId: userId, userId, text, kind: "text" });
    await reply(conversation, zalo, message);
    return options.zalo.calls("sendMessage").slice(before).map((c) => String(c.text)).join("\n");
  }
  /** What the Telegram adapter does with a message: the replies sent through the real sender (files as documents). */
  async function telegramChat(conversation: Conversation, message: IncomingMessage): Promise<void> {
    await reply(conversation, telegram, message);
  }
  return { worker, zaloChat, telegramChat };
}

/** What an adapter does with a message once processed: each reply sent in order through the channel's sender. */
async function reply(conversation: Conversation, sender: ChannelSender, message: IncomingMessage): Promise<void> {
  for (const out of await conversation.handle(message)) await sender.send(message.chatId, out);
}

/** A Telegram button press or text, straight into the conversation core (what the Telegram adapter hands it). */
export function tg(userId: string, input: { text?: string; choice?: string }): IncomingMessage {
  return input.choice !== undefined
    ? { channel: "telegram", chatId: userId, userId, text: "", choice: input.choice, kind: "choice" }
    : { channel: "telegram", chatId: userId, userId, text: input.text ?? "", kind: "text" };
}

export const joined = (out: OutgoingMessage[]) => out.map((m) => m.text).join("\n");
