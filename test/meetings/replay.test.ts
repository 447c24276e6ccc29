/**
 * Every meetings command is safe to run twice from the same chat update: the inbox
 * processes an update again when a crash came between its effects and its done mark.
 * Here each command is dispatched twice with the same updateKey, as that replay would.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConversationFeature, IncomingMessage } from "../../core/conversation/types.js";
import { createMeetingsFeature } from "../../core/meetings/feature.js";
import { addMember, dispatch, openTestEnv, said, text, type TestEnv } from "./helpers.js";

let env: TestEnv;
let feature: ConversationFeature;
let nextUpdate = 1;

beforeEach(async () => {
  env = await openTestEnv();
  feature = createMeetingsFeature({ prisma: env.store.prisma, config: env.config, state: env.state, clock: env.clock.now });
  for (const [name, id, role] of [["Bí thư", "100", "bi_thu"], ["Đảng viên A", "101", "dang_vien"], ["Đảng viên B", "102", "dang_vien"]] as const) {
    await addMember(env.store, { name, cell: "Chi bộ 1", role, link: { channel: "telegram", userId: id } });
  }
});
afterEach(async () => {
  await env.cleanup();
});

/** The officer's command as one platform update. */
function update(body: string): IncomingMessage {
  return text("telegram", "100", body, { updateKey: `telegram:${nextUpdate++}`, receivedAt: env.clock.now() });
}

/** Runs the same update twice, as a replay after a crash would; both runs' replies. */
async function twice(message: IncomingMessage): Promise<[string, string]> {
  const first = said(await dispatch(feature, message));
  const second = said(await dispatch(feature, message));
  return [first, second];
}

async function queued(prefix: string): Promise<string[]> {
  const rows = await env.store.prisma.outboxMessage.findMany({ where: { dedupeKey: { startsWith: prefix } }, orderBy: { id: "asc" } });
  return rows.map((r) => r.chatId);
}

describe("a replayed update", () => {
  it("/hop creates one meeting, queues each notice once, and answers the same both times", async () => {
    const [first, second] = await twice(update("/hop 2026-12-04 19:30 | Hội trường | Sinh hoạt tháng 12"));
    expect(first).toContain("Đã lên lịch cuộc họp **#1**");
    expect(second).toBe(first);
    expect(await env.store.prisma.meeting.count()).toBe(1);
    expect((await queued("notice:")).sort()).toEqual(["100", "101", "102"]);
    expect(await env.store.prisma.reminder.count()).toBe(2);
    // A new /hop (another update) is a new meeting, of course.
    await dispatch(feature, update("/hop 2026-12-11 19:30 | Hội trường | Họp chuyên đề"));
    expect(await env.store.prisma.meeting.count()).toBe(2);
  });

  it("/doihop without an id changes the meeting it changed the first time, once, even when another one is next now", async () => {
    await dispatch(feature, update("/hop 2026-12-04 19:30 | Hội trường | Họp A"));
    await dispatch(feature, update("/hop 2026-12-11 19:30 | Hội trường | Họp B"));
    // Meeting 1 moves after meeting 2: on the replay, "the next meeting" would be meeting 2.
    const [first, second] = await twice(update("/doihop 2026-12-20 19:30 | Nhà văn hóa"));
    expect(first).toContain("#1");
    expect(second).toBe(first);
    const [m1, m2] = await env.store.prisma.meeting.findMany({ orderBy: { id: "asc" } });
    expect(m1).toMatchObject({ timeVersion: 2, location: "Nhà văn hóa" });
    expect(m2).toMatchObject({ timeVersion: 1, location: "Hội trường" });
    expect((await queued("change:")).sort()).toEqual(["100", "101", "102"]);
    expect(await env.store.prisma.meetingChange.count()).toBe(1);
  });

  it("/huyhop cancels once and tells the cell once, and its replay does not cancel the next meeting", async () => {
    await dispatch(feature, update("/hop 2026-12-04 19:30 | Hội trường | Họp A"));
    await dispatch(feature, update("/hop 2026-12-11 19:30 | Hội trường | Họp B"));
    const [first, second] = await twice(update("/huyhop"));
    expect(first).toContain("#1");
    expect(second).toBe(first);
    const statuses = (await env.store.prisma.meeting.findMany({ orderBy: { id: "asc" } })).map((m) => m.status);
    expect(statuses).toEqual(["cancelled", "scheduled"]);
    expect((await queued("cancel:")).sort()).toEqual(["100", "101", "102"]);
    // Cancelling again with a new update is refused as before.
    expect(said(await dispatch(feature, update("/huyhop 1")))).toContain("đã bị hủy");
  });

  it("/diemdanh nhac reminds each member once, even when the replay comes minutes later", async () => {
    await dispatch(feature, update("/hop 2026-12-04 19:30 | Hội trường | Họp A"));
    const nudge = update("/diemdanh nhac");
    await dispatch(feature, nudge);
    env.clock.advance(5 * 60_000);
    await dispatch(feature, nudge);
    expect((await queued("nudge:")).sort()).toEqual(["100", "101", "102"]);
  });

  it("an attendance reply is recorded once", async () => {
    await dispatch(feature, update("/hop 2026-12-04 19:30 | Hội trường | Họp A"));
    const reply = text("telegram", "101", "có mặt", { updateKey: "telegram:900", receivedAt: env.clock.now() });
    const [first, second] = [said(await dispatch(feature, reply)), said(await dispatch(feature, reply))];
    expect(second).toBe(first);
    expect(await env.store.prisma.attendance.count()).toBe(1);
  });
});
