import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../core/config.js";
import { createStateStore } from "../../core/conversation/state-store.js";
import { openStore } from "../../core/db/store.js";
import { createLogger } from "../../core/logger.js";
import { createMeetingsFeature } from "../../core/meetings/feature.js";
import { issueInvite } from "../../core/members/invites.js";
import { addMember, dispatch, openTestEnv, said, text, type TestEnv } from "./helpers.js";
import { TEST_ENGINE } from "../support/database.js";

let env: TestEnv | undefined;
afterEach(async () => {
  await env?.cleanup();
  env = undefined;
});

interface LogLine {
  level: number;
  msg: string;
  channel?: string;
  user?: string;
  refusal?: string;
  scope?: string;
  why?: string;
  lockout?: string;
}

/** A store with small limits, a member with a live code, and the feature logging to `lines`. */
async function setup(limits: Record<string, string> = {}) {
  env = await openTestEnv({ REGISTRATION_MAX_FAILURES: "3", REGISTRATION_MAX_FAILURES_GLOBAL: "50", ...limits });
  const member = await addMember(env.store, { name: "Nguyễn Văn An", cell: "Chi bộ 1" });
  const { code } = await issueInvite(env.store.prisma, member.id, { ttlHours: 72, now: env.clock.now() });
  const raw: string[] = [];
  const logger = createLogger({ LOG_LEVEL: "info" }, { write: (line: string) => void raw.push(line) });
  const feature = createMeetingsFeature({ prisma: env.store.prisma, config: env.config, state: env.state, clock: env.clock.now, logger });
  const dangky = async (userId: string, typed: string, chatId = userId) => said(await dispatch(feature, text("telegram", userId, `/dangky ${typed}`, { chatId })));
  const logs = () => raw.map((l) => JSON.parse(l) as LogLine);
  return { env, member, code, feature, dangky, logs, raw };
}

/** Wrong codes (never a live one: the alphabet has no 0, O, 1 or I). */
const wrong = (i: number) => `WR0NG${String(i).padStart(3, "0")}`;

describe("/dangky limits on guessing", () => {
  it("locks an account out after the allowed wrong codes, even for the right code, and tells it when it starts", async () => {
    const { env, code, dangky } = await setup();
    expect(await dangky("666", wrong(1))).toContain("không dùng được");
    expect(await dangky("666", wrong(2))).not.toContain("tạm thời");
    const third = await dangky("666", wrong(3));
    expect(third).toContain("không dùng được");
    expect(third).toContain("thử lại sau khoảng 60 phút");
    // Locked: the right code is not even looked at.
    expect(await dangky("666", code)).toMatch(/^Tài khoản này đã gửi sai mã đăng ký quá nhiều lần.*khoảng (59|60) phút/);
    expect(await env.store.prisma.chatIdentity.count()).toBe(0);
    // Another account is not affected, and the code is still good.
    expect(await dangky("777", code)).toContain("Đã liên kết tài khoản với đồng chí **Nguyễn Văn An**");
  });

  it("keeps the lockout in the database: a restart does not lift it; it ends when its time is up", async () => {
    const first = await setup();
    for (let i = 1; i <= 3; i++) await first.dangky("666", wrong(i));
    // A restart: the store is closed and opened again on the same DATA_DIR, with a new feature.
    await first.env.store.close();
    const store = await openStore(loadConfig({ DATA_DIR: first.env.dir, DATABASE_URL: first.env.config.DATABASE_URL, LOG_LEVEL: "silent", REGISTRATION_MAX_FAILURES: "3" }));
    first.env.store = store;
    const state = createStateStore(store, () => first.env.clock.ms);
    const feature = createMeetingsFeature({ prisma: store.prisma, config: first.env.config, state, clock: first.env.clock.now });
    const dangky = async (userId: string, typed: string) => said(await dispatch(feature, text("telegram", userId, `/dangky ${typed}`)));
    expect(await dangky("666", first.code)).toContain("quá nhiều lần");

    // The lockout's time passes (its row says when it ends; the counters run on the real clock).
    const rows = await store.prisma.rateLimit.findMany();
    expect(rows.some((r) => r.key.startsWith("dangky:account:telegram:"))).toBe(true);
    // No account's row names the user: the key carries the pseudonym.
    expect(rows.every((r) => !r.key.includes("666"))).toBe(true);
    await store.prisma.rateLimit.updateMany({ where: { key: { startsWith: "dangky:account:" } }, data: { expire: new Date(Date.now() - 1000) } });
    expect(await dangky("666", first.code)).toContain("Đã liên kết");
    // A success clears the account's count.
    expect(await store.prisma.rateLimit.count({ where: { key: { startsWith: "dangky:account:" } } })).toBe(0);
  });

  it.runIf(TEST_ENGINE === "postgresql")("counts wrong codes cluster-wide: guesses spread over two server instances lock the account on both", async () => {
    const first = await setup();
    // A second instance: its own DATA_DIR, the same database, its own feature (and limiter).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-second-"));
    const store = await openStore({ ...first.env.config, DATA_DIR: dir, INDEX_DIR: path.join(dir, "index") });
    try {
      const second = createMeetingsFeature({ prisma: store.prisma, config: first.env.config, state: createStateStore(store, () => first.env.clock.ms), clock: first.env.clock.now });
      const onSecond = async (userId: string, typed: string) => said(await dispatch(second, text("telegram", userId, `/dangky ${typed}`)));
      expect(await first.dangky("666", wrong(1))).toContain("không dùng được");
      expect(await onSecond("666", wrong(2))).not.toContain("tạm thời");
      // The third wrong code, whichever instance gets it, uses up the account's allowance.
      expect(await first.dangky("666", wrong(3))).toContain("thử lại sau khoảng 60 phút");
      expect(await onSecond("666", first.code)).toContain("quá nhiều lần");
      expect(await first.dangky("666", first.code)).toContain("quá nhiều lần");
      expect(await store.prisma.chatIdentity.count()).toBe(0);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("limits wrong codes over all accounts too, then refuses registration for everyone for a while", async () => {
    const { env, code, dangky } = await setup({ REGISTRATION_MAX_FAILURES_GLOBAL: "4" });
    for (let i = 1; i <= 3; i++) expect(await dangky(`70${i}`, wrong(i))).not.toContain("tạm ngừng");
    expect(await dangky("704", wrong(4))).toContain("Hệ thống đang tạm ngừng nhận đăng ký");
    // A fifth account with the right code is refused, and so is everyone until the lockout ends.
    expect(await dangky("705", code)).toMatch(/^Hệ thống đang tạm ngừng nhận đăng ký.*khoảng (59|60) phút/);
    expect(await env.store.prisma.chatIdentity.count()).toBe(0);
    await env.store.prisma.rateLimit.updateMany({ data: { expire: new Date(Date.now() - 1000) } });
    expect(await dangky("705", code)).toContain("Đã liên kết");
  });

  it("does not count successful registrations against anyone", async () => {
    const { env, dangky } = await setup({ REGISTRATION_MAX_FAILURES_GLOBAL: "3" });
    for (let i = 0; i < 5; i++) {
      const m = await addMember(env.store, { name: `Đảng viên ${i}`, cell: "Chi bộ 1" });
      const { code } = await issueInvite(env.store.prisma, m.id, { ttlHours: 72, now: env.clock.now() });
      expect(await dangky(`80${i}`, code)).toContain("Đã liên kết");
    }
    expect(await env.store.prisma.chatIdentity.count()).toBe(5);
  });

  it("counts a burst of simultaneous guesses exactly: only the allowed number reaches the codes", async () => {
    const { env, code, dangky, logs } = await setup({ REGISTRATION_MAX_FAILURES: "5" });
    const guesses = Array.from({ length: 60 }, (_, i) => (i === 59 ? code : wrong(i)));
    const replies = await Promise.all(guesses.map((g) => dangky("666", g)));
    const checked = logs().filter((l) => l.refusal === "invalid-code");
    expect(checked).toHaveLength(5);
    expect(replies.filter((r) => r.includes("quá nhiều lần") && !r.includes("không dùng được"))).toHaveLength(55);
    expect(await env.store.prisma.chatIdentity.count()).toBe(0);
  });
});

describe("/dangky redeeming", () => {
  it("lets one of ten accounts redeeming the same code at once win, and links nothing half-way", async () => {
    const { env, code, dangky } = await setup({ REGISTRATION_MAX_FAILURES: "10" });
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => dangky(`60${i}`, code)));
    expect(replies.filter((r) => r.includes("Đã liên kết"))).toHaveLength(1);
    expect(replies.filter((r) => r.includes("không dùng được"))).toHaveLength(9);
    expect(await env.store.prisma.chatIdentity.count()).toBe(1);
    expect(await env.store.prisma.inviteCode.count({ where: { usedAt: { not: null } } })).toBe(1);
  });
});

describe("/dangky replies and log lines", () => {
  it("gives one reply for an unknown, a used and an expired code", async () => {
    const { env, member, code, dangky } = await setup({ REGISTRATION_MAX_FAILURES: "10" });
    const unknown = await dangky("901", "KHONGCO2");
    expect(await dangky("902", code)).toContain("Đã liên kết");
    const used = await dangky("903", code);
    const late = await issueInvite(env.store.prisma, member.id, { ttlHours: 1, now: env.clock.now() });
    env.clock.advance(2 * 3600_000);
    const expired = await dangky("904", late.code);
    expect(unknown).toBe("Mã đăng ký không dùng được: mã không đúng, đã được sử dụng hoặc đã hết hạn. Đồng chí kiểm tra lại mã (8 ký tự) hoặc xin mã mới từ chi bộ.");
    expect(used).toBe(unknown);
    expect(expired).toBe(unknown);
  });

  it("logs each refusal as a warn line with the channel and a pseudonym, never the code or the user id", async () => {
    const { code, dangky, logs, raw } = await setup({ REGISTRATION_MAX_FAILURES: "2", REGISTRATION_MAX_FAILURES_GLOBAL: "50" });
    await dangky("123456789", wrong(1));
    await dangky("123456789", wrong(2));
    await dangky("123456789", code); // locked
    await dangky("987654321", "KHONGCO2");
    const refusals = logs().filter((l) => l.msg === "registration refused");
    expect(refusals.map((l) => [l.level, l.channel, l.refusal, l.scope ?? l.lockout ?? null])).toEqual([
      [40, "telegram", "invalid-code", null],
      [40, "telegram", "invalid-code", "account"],
      [40, "telegram", "locked", "account"],
      [40, "telegram", "invalid-code", null],
    ]);
    expect(refusals.every((l) => /^[0-9a-f]{16}$/.test(l.user!))).toBe(true);
    // One account, one pseudonym; another account, another.
    expect(new Set(refusals.slice(0, 3).map((l) => l.user)).size).toBe(1);
    expect(refusals[3]!.user).not.toBe(refusals[0]!.user);
    expect(refusals[0]!.why).toBe("unknown"); // for the operator: unknown, used or expired
    const all = raw.join("\n");
    for (const secret of [code, wrong(1), wrong(2), "KHONGCO2", "123456789", "987654321"]) expect(all).not.toContain(secret);
  });

  it("voids a code typed in a group (others have read it), with the same reply whether it was real or not", async () => {
    const { env, code, dangky } = await setup();
    const inGroup = await dangky("555", code, "-100200300");
    expect(inGroup).toContain("tin nhắn riêng");
    expect(await dangky("555", "KHONGCO2", "-100200300")).toBe(inGroup);
    expect(await dangky("555", code)).toContain("không dùng được");
    expect(await env.store.prisma.chatIdentity.count()).toBe(0);
  });
});
