import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../../core/db/store.js";
import { clusterJobs } from "../../core/db/cluster-jobs.js";
import { TEST_ENGINE } from "../support/database.js";
import { createMeetingsFeature } from "../../core/meetings/feature.js";
import { processDueReminders } from "../../core/meetings/reminders.js";
import { createMeetingScheduler } from "../../core/meetings/scheduler.js";
import { addMember, dispatch, openTestEnv, press, RecordingSender, text, type TestEnv, testOutboxWorker } from "./helpers.js";

let env: TestEnv;
beforeEach(async () => {
  env = await openTestEnv({ REMINDER_OFFSETS: "1d,2h" });
});
afterEach(async () => {
  await env.cleanup();
});

async function setup() {
  const s = env.store;
  await addMember(s, { name: "Bí thư", cell: "Chi bộ 1", role: "bi_thu", link: { channel: "telegram", userId: "100" } });
  await addMember(s, { name: "Có mặt", cell: "Chi bộ 1", link: { channel: "telegram", userId: "101" } });
  await addMember(s, { name: "Vắng", cell: "Chi bộ 1", link: { channel: "zalo", userId: "z-102" } });
  const feature = createMeetingsFeature({ prisma: s.prisma, config: env.config, state: env.state, clock: env.clock.now });
  await dispatch(feature, text("telegram", "100", "/hop 2026-12-04 19:30 | Hội trường | Họp tháng 12"));
  return feature;
}

const ctx = () => ({ prisma: env.store.prisma, config: env.config, clock: env.clock.now });
const reminderRows = () => env.store.prisma.outboxMessage.findMany({ where: { dedupeKey: { startsWith: "reminder:" } } });

describe("reminders", () => {
  it("are planned at the configured offsets and fanned out once each, skipping members who said they are absent", async () => {
    const feature = await setup();
    const plan = await env.store.prisma.reminder.findMany({ orderBy: { offsetMinutes: "desc" } });
    expect(plan.map((r) => [r.offsetMinutes, r.dueAt.toISOString(), r.status])).toEqual([
      [1440, "2026-12-03T12:30:00.000Z", "pending"],
      [120, "2026-12-04T10:30:00.000Z", "pending"],
    ]);
    await dispatch(feature, text("zalo", "z-102", "vắng, đi công tác"));

    expect(await processDueReminders(ctx())).toBe(0);
    env.clock.ms = Date.parse("2026-12-03T12:30:00Z");
    expect(await processDueReminders(ctx())).toBe(1);
    expect(await processDueReminders(ctx())).toBe(0); // once
    let rows = await reminderRows();
    expect(rows.map((r) => r.chatId).sort()).toEqual(["100", "101"]);
    expect(JSON.parse(rows[0]!.payload).text).toContain("NHẮC LỊCH HỌP #1** (còn 1 ngày)");

    env.clock.ms = Date.parse("2026-12-04T10:31:00Z");
    expect(await processDueReminders(ctx())).toBe(1);
    rows = await reminderRows();
    expect(rows).toHaveLength(4);
    const statuses = await env.store.prisma.reminder.findMany({ select: { status: true } });
    expect(statuses.every((s) => s.status === "sent")).toBe(true);
  });

  it("are fanned out once even if the process dies between queuing and marking the reminder", async () => {
    await setup();
    env.clock.ms = Date.parse("2026-12-03T13:00:00Z");
    await processDueReminders(ctx());
    // Simulate the crash window: the reminder is still pending although its messages are queued.
    await env.store.prisma.reminder.updateMany({ data: { status: "pending", processedAt: null }, where: { offsetMinutes: 1440 } });
    await env.store.close();
    env.store = await openStore(env.config);
    await processDueReminders(ctx());
    expect(await reminderRows()).toHaveLength(3);
  });

  it.runIf(TEST_ENGINE === "postgresql")("go out once when two server instances on one database pass at the same moment", async () => {
    await setup();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-second-"));
    const second = await openStore({ ...env.config, DATA_DIR: dir, INDEX_DIR: path.join(dir, "index") });
    try {
      env.clock.ms = Date.parse("2026-12-03T12:30:00Z");
      const scheduler = (store: typeof second) => createMeetingScheduler({ prisma: store.prisma, config: env.config, clock: env.clock.now, jobs: clusterJobs(store) });
      const passes = await Promise.all([scheduler(env.store).runReminders(), scheduler(second).runReminders(), scheduler(second).runReminders()]);
      expect(passes.reduce((a, b) => a + b, 0)).toBe(1);
      expect((await reminderRows()).map((r) => r.chatId).sort()).toEqual(["100", "101", "z-102"]);
      expect(await scheduler(second).runReminders()).toBe(0);
    } finally {
      await second.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("are skipped for cancelled meetings, and re-planned when the time changes", async () => {
    const feature = await setup();
    await dispatch(feature, press("telegram", "101", "att:1:present"));
    await dispatch(feature, text("telegram", "100", "/doihop 1 | 2026-12-10 19:30 |"));
    const plan = await env.store.prisma.reminder.findMany({ orderBy: { offsetMinutes: "desc" } });
    expect(plan.map((r) => r.dueAt.toISOString())).toEqual(["2026-12-09T12:30:00.000Z", "2026-12-10T10:30:00.000Z"]);
    env.clock.ms = Date.parse("2026-12-03T13:00:00Z");
    expect(await processDueReminders(ctx())).toBe(0); // the old due time no longer applies

    await dispatch(feature, text("telegram", "100", "/huyhop 1"));
    env.clock.ms = Date.parse("2026-12-10T11:00:00Z");
    expect(await processDueReminders(ctx())).toBe(0);
    expect(await reminderRows()).toHaveLength(0);
    const statuses = await env.store.prisma.reminder.findMany({ select: { status: true } });
    expect(statuses.map((s) => s.status)).toEqual(["skipped", "skipped"]);
  });

  it("offsets already past when the meeting is scheduled are skipped, not sent late", async () => {
    const s = env.store;
    await addMember(s, { name: "Bí thư", cell: "Chi bộ 1", role: "bi_thu", link: { channel: "telegram", userId: "100" } });
    const feature = createMeetingsFeature({ prisma: s.prisma, config: env.config, state: env.state, clock: env.clock.now });
    await dispatch(feature, text("telegram", "100", "/hop 2026-12-01 20:00 | Hội trường | Họp gấp")); // 11 h ahead
    const plan = await s.prisma.reminder.findMany({ orderBy: { offsetMinutes: "desc" } });
    expect(plan.map((r) => [r.offsetMinutes, r.status])).toEqual([
      [1440, "skipped"],
      [120, "pending"],
    ]);
  });

  it("the scheduler service queues due reminders, and the outbox worker delivers them with the notices", async () => {
    await setup();
    const telegram = new RecordingSender("telegram");
    const zalo = new RecordingSender("zalo");
    // Time runs 100× faster here, so the 1 message/s per chat limit passes in 10 ms of real time.
    const start = Date.parse("2026-12-03T12:31:00Z");
    const real0 = Date.now();
    const clock = () => new Date(start + (Date.now() - real0) * 100);
    const scheduler = createMeetingScheduler({ prisma: env.store.prisma, config: env.config, clock });
    // The server's outbox worker delivers what the scheduler queues.
    const worker = testOutboxWorker(env.store, { senders: [telegram, zalo],
      limits: { telegram: { perSecond: 30, perChatPerSecond: 1 }, zalo: { perSecond: 10, perChatPerSecond: 1 } },
      clock,
      idlePollMs: 10,
    });
    await worker.start();
    await scheduler.start(); // runs one reminder pass at once
    for (let i = 0; i < 300 && telegram.sent.length + zalo.sent.length < 6; i++) await new Promise((r) => setTimeout(r, 10));
    await scheduler.stop();
    await worker.stop();
    expect(telegram.to("101").map((s) => s.message.text.split("\n")[0])).toEqual([
      "📢 **THÔNG BÁO SINH HOẠT CHI BỘ** (#1)",
      "⏰ **NHẮC LỊCH HỌP #1** (còn 1 ngày)",
    ]);
    expect(zalo.to("z-102")).toHaveLength(2);
  });
});
