import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createConversation, type Conversation } from "../../core/conversation/conversation.js";
import type { Answer, Answerer } from "../../core/search/types.js";
import { createLogger } from "../../core/logger.js";
import { createMeetingsFeature } from "../../core/meetings/feature.js";
import { addMember, openTestEnv, press, said, text, type TestEnv } from "./helpers.js";

/** An in-test Answerer that records the questions it is asked. */
class RecordingAnswerer implements Answerer {
  readonly questions: string[] = [];
  async answer(question: string): Promise<Answer> {
    this.questions.push(question);
    return { question, mode: "none", answered: false, passages: [], offered: 0, highlights: [] };
  }
}

let env: TestEnv;
let answerer: RecordingAnswerer;
let conversation: Conversation;
beforeEach(async () => {
  env = await openTestEnv();
  answerer = new RecordingAnswerer();
  conversation = createConversation({
    answerer,
    features: [createMeetingsFeature({ prisma: env.store.prisma, config: env.config, state: env.state, clock: env.clock.now })],
    logger: createLogger({ LOG_LEVEL: "silent" }),
  });
});
afterEach(async () => {
  await env.cleanup();
});

describe("the meetings feature inside the real conversation core", () => {
  it("routes commands, buttons and replies to the feature and leaves questions to the handbook", async () => {
    await addMember(env.store, { name: "Bí thư", cell: "Chi bộ 1", role: "bi_thu", link: { channel: "telegram", userId: "100" } });
    await addMember(env.store, { name: "Đảng viên", cell: "Chi bộ 1", link: { channel: "zalo", userId: "z-1" } });

    expect(said(await conversation.handle(text("telegram", "100", "/Hop 2026-12-04 19:30 | Hội trường | Họp")))).toContain("Đã lên lịch");
    expect(said(await conversation.handle(text("zalo", "z-1", "vắng, đi công tác")))).toContain("Lý do: đi công tác");
    expect(said(await conversation.handle(press("telegram", "100", "att:1:present")))).toContain("có mặt");
    expect(said(await conversation.handle(text("telegram", "100", "/diemdanh")))).toContain("❌ Vắng (1)");
    await conversation.handle(text("zalo", "z-1", "Vắng sinh hoạt bao nhiêu lần thì bị xóa tên?"));
    await conversation.handle(text("telegram", "999", "1"));
    expect(answerer.questions).toEqual(["Vắng sinh hoạt bao nhiêu lần thì bị xóa tên?", "1"]);
    expect(said(await conversation.handle(text("telegram", "999", "/hop 2026-12-04 19:30 | A | B")))).toContain("/dangky");
    const help = said(await conversation.handle(text("telegram", "999", "/trogiup")));
    expect(help).toContain("/dangky <mã>");
  });
});
