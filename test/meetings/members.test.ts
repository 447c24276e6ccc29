import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig, PROJECT_ROOT } from "../../core/config.js";
import { createMeetingsFeature } from "../../core/meetings/feature.js";
import { importMembers } from "../../core/members/import.js";
import { hashInviteCode, INVITE_ALPHABET, issueInvite } from "../../core/members/invites.js";
import { dispatch, openTestEnv, said, text, type TestEnv } from "./helpers.js";
import { runAdmin } from "../../bot/cli/admin.js";
import { openStore } from "../../core/db/store.js";

const run = promisify(execFile);

let env: TestEnv;
beforeEach(async () => {
  env = await openTestEnv({ INVITE_TTL_HOURS: "48" });
});
afterEach(async () => {
  await env.cleanup();
});

const ROSTER = [
  "ho_ten,chi_bo,vai_tro,dang_bo,trang_thai,dien_thoai,email,ma_dang_vien",
  "Nguyễn Văn An,Chi bộ Khu phố 1,Bí thư,Đảng bộ phường Bến Nghé,Chính thức,0903 123 456,an@example.vn,DV001",
  "Trần Thị Bình,Chi bộ Khu phố 1,pho bi thu,Đảng bộ phường Bến Nghé,chinh thuc,,,",
  "Lê Văn Cường,Chi bộ Khu phố 2,Đảng viên,Đảng bộ phường Bến Nghé,du bi,,,",
  ",Chi bộ Khu phố 2,Đảng viên,,,,,",
  "Phạm Dũng,Chi bộ Khu phố 2,Chủ tịch,,,,,",
  "Hoàng Em,Chi bộ Khu phố 2,dang vien,Đảng bộ phường Bến Nghé,,12ab,,",
  "Vũ Giang,Chi bộ Khu phố 2,,Đảng bộ phường Bến Nghé,,,not-an-email,",
].join("\n");

describe("importing members from CSV", () => {
  it("imports good rows, reports bad rows with line numbers, creates missing cells under their đảng bộ", async () => {
    const result = await importMembers(env.store.prisma, "\uFEFF" + ROSTER);
    expect(result.created).toBe(3);
    expect(result.errors.map((e) => e.line)).toEqual([5, 6, 7, 8]);
    expect(result.errors[0]!.message).toContain("ho_ten");
    expect(result.errors[1]!.message).toContain("Chủ tịch");
    expect(result.errors[2]!.message).toContain("dien_thoai");
    expect(result.errors[3]!.message).toContain("email");
    const orgs = await env.store.prisma.organization.findMany({ orderBy: { id: "asc" } });
    expect(orgs.map((o) => [o.kind, o.name])).toEqual([
      ["dang_bo", "Đảng bộ phường Bến Nghé"],
      ["chi_bo", "Chi bộ Khu phố 1"],
      ["chi_bo", "Chi bộ Khu phố 2"],
    ]);
    expect(orgs[1]!.parentId).toBe(orgs[0]!.id);
    const an = await env.store.prisma.member.findFirstOrThrow({ where: { fullName: "Nguyễn Văn An" } });
    expect(an).toMatchObject({ role: "bi_thu", status: "chinh_thuc", phone: "0903123456", email: "an@example.vn" });
    const cuong = await env.store.prisma.member.findFirstOrThrow({ where: { fullName: "Lê Văn Cường" } });
    expect(cuong.status).toBe("du_bi");
  });

  it("re-importing updates members and never duplicates (by member code, else cell + name without accents)", async () => {
    await importMembers(env.store.prisma, ROSTER);
    const again = [
      "Họ tên,Chi bộ,Vai trò,Đảng bộ,Mã đảng viên",
      "Nguyễn Văn An (đổi tên),Chi bộ Khu phố 1,Đảng viên,Đảng bộ phường Bến Nghé,DV001",
      "TRAN THI BINH,chi bo khu pho 1,Bí thư,dang bo phuong ben nghe,",
    ].join("\n");
    const result = await importMembers(env.store.prisma, again);
    expect(result.errors).toEqual([]);
    expect(result).toMatchObject({ created: 0, updated: 2 });
    expect(await env.store.prisma.member.count()).toBe(3);
    expect(await env.store.prisma.organization.count()).toBe(3);
    const an = await env.store.prisma.member.findFirstOrThrow({ where: { key: "code:dv001" } });
    expect(an).toMatchObject({ fullName: "Nguyễn Văn An (đổi tên)", role: "dang_vien" });
  });

  it("reports a missing required column instead of importing garbage", async () => {
    const result = await importMembers(env.store.prisma, "ten,don_vi\nA,B\n");
    expect(result.errors[0]!.message).toContain("missing column");
    expect(await env.store.prisma.member.count()).toBe(0);
  });
});

describe("registration with /dangky", () => {
  it("is refused on channels that cannot deliver notices (the web chat), and the code stays usable", async () => {
    await importMembers(env.store.prisma, ROSTER);
    const an = await env.store.prisma.member.findFirstOrThrow({ where: { fullName: "Nguyễn Văn An" } });
    const { code } = await issueInvite(env.store.prisma, an.id, { ttlHours: 48, now: env.clock.now() });
    const feature = createMeetingsFeature({ prisma: env.store.prisma, config: env.config, state: env.state, clock: env.clock.now, noticeChannels: ["telegram"] });
    expect(said(await dispatch(feature, text("web", "browser-1", `/dangky ${code}`)))).toContain("Telegram");
    expect(await env.store.prisma.chatIdentity.count()).toBe(0);
    expect(said(await dispatch(feature, text("telegram", "555", `/dangky ${code}`)))).toContain("Nguyễn Văn An");
  });

  it("links the chat account with a one-time code; only the hash is stored; used, unknown and expired codes get one same refusal", async () => {
    await importMembers(env.store.prisma, ROSTER);
    const an = await env.store.prisma.member.findFirstOrThrow({ where: { fullName: "Nguyễn Văn An" } });
    const { code, expiresAt } = await issueInvite(env.store.prisma, an.id, { ttlHours: env.config.INVITE_TTL_HOURS, now: env.clock.now() });
    expect(code).toMatch(new RegExp(`^[${INVITE_ALPHABET}]{8}$`));
    expect(expiresAt.getTime() - env.clock.ms).toBe(48 * 3600_000);
    const stored = await env.store.prisma.inviteCode.findFirstOrThrow();
    expect(stored.codeHash).toBe(hashInviteCode(code));
    expect(JSON.stringify(stored)).not.toContain(code);

    const feature = createMeetingsFeature({ prisma: env.store.prisma, config: env.config, state: env.state, clock: env.clock.now });
    const unknown = said(await dispatch(feature, text("telegram", "555", "/dangky SAIMA999")));
    expect(unknown).toContain("không dùng được");
    expect(said(await dispatch(feature, text("telegram", "555", "/dangky")))).toContain("Cú pháp");
    // Typed in lower case with a dash: still the same code.
    const typed = `${code.slice(0, 4).toLowerCase()}-${code.slice(4).toLowerCase()}`;
    expect(said(await dispatch(feature, text("telegram", "555", `/dangky ${typed}`)))).toContain("Nguyễn Văn An");
    const identity = await env.store.prisma.chatIdentity.findFirstOrThrow();
    expect(identity).toMatchObject({ memberId: an.id, channel: "telegram", platformUserId: "555", chatId: "555" });
    expect(said(await dispatch(feature, text("zalo", "z-9", `/dangky ${code}`)))).toBe(unknown); // used
    expect(await env.store.prisma.chatIdentity.count()).toBe(1);
    // The linked secretary can now schedule meetings.
    expect(said(await dispatch(feature, text("telegram", "555", "/hop 2026-12-04 19:30 | Hội trường | Họp")))).toContain("Đã lên lịch");

    const binh = await env.store.prisma.member.findFirstOrThrow({ where: { fullName: "Trần Thị Bình" } });
    const late = await issueInvite(env.store.prisma, binh.id, { ttlHours: 48, now: env.clock.now() });
    env.clock.advance(49 * 3600_000);
    expect(said(await dispatch(feature, text("zalo", "z-7", `/dangky ${late.code}`)))).toBe(unknown); // expired
  });

  it("a new code voids the member's earlier unused one", async () => {
    await importMembers(env.store.prisma, ROSTER);
    const an = await env.store.prisma.member.findFirstOrThrow({ where: { fullName: "Nguyễn Văn An" } });
    const first = await issueInvite(env.store.prisma, an.id, { ttlHours: 48 });
    const second = await issueInvite(env.store.prisma, an.id, { ttlHours: 48 });
    const feature = createMeetingsFeature({ prisma: env.store.prisma, config: env.config, state: env.state });
    expect(said(await dispatch(feature, text("telegram", "1", `/dangky ${first.code}`)))).toContain("không dùng được");
    expect(said(await dispatch(feature, text("telegram", "1", `/dangky ${second.code}`)))).toContain("Đã liên kết");
  });
});

describe("npm run admin", () => {
  it("imports with --json (invite codes), reports a bad row by line, issues invites, and exports attendance as CSV", async () => {
    const csv = path.join(env.dir, "roster.csv");
    fs.writeFileSync(csv, ROSTER);
    const tsx = path.join(PROJECT_ROOT, "node_modules", ".bin", "tsx");
    const admin = path.join(PROJECT_ROOT, "bot", "cli", "admin.ts");
    const cliEnv = { ...process.env, DATA_DIR: path.join(env.dir, "cli-data"), LOG_LEVEL: "silent" };
    const imported = await run(tsx, [admin, "import-members", csv, "--json"], { env: cliEnv }).catch((e: { stdout: string; stderr: string; code: number }) => e);
    expect((imported as { code?: number }).code).toBe(1); // bad rows → non-zero exit, good rows imported
    expect(imported.stderr).toContain("line 5:");
    const json = JSON.parse(imported.stdout) as { members: { fullName: string; inviteCode: string }[] };
    expect(json.members).toHaveLength(3);
    expect(json.members.every((m) => /^[A-Z2-9]{8}$/.test(m.inviteCode))).toBe(true);

    const invite = await run(tsx, [admin, "invite", "nguyen van an"], { env: cliEnv });
    expect(invite.stdout).toMatch(/Nguyễn Văn An .*: [A-Z2-9]{8}/);

    const exported = await run(tsx, [admin, "export-attendance", "1", "--csv"], { env: cliEnv }).catch((e: { stderr: string }) => e);
    expect(exported.stderr).toContain("No meeting with id 1");
  });

  it("deactivates a member who left the cell and reactivates them, by name or id, refusing an ambiguous name", async () => {
    const csv = path.join(env.dir, "roster.csv");
    fs.writeFileSync(csv, ROSTER);
    const adminEnv = { DATA_DIR: path.join(env.dir, "admin-data"), LOG_LEVEL: "silent" };
    const admin = async (...argv: string[]) => {
      const io = { out: "", err: "" };
      const code = await runAdmin(argv, adminEnv, { out: { write: (t: string) => (io.out += t) }, err: { write: (t: string) => (io.err += t) } });
      return { code, ...io };
    };
    await admin("import-members", csv);
    const ambiguous = await admin("deactivate", "văn");
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.err).toMatch(/matches 2 members; use the id/);

    const off = await admin("deactivate", "nguyen van an");
    expect(off).toMatchObject({ code: 0 });
    expect(off.out).toContain("is inactive");
    const store = await openStore(loadConfig(adminEnv));
    try {
      const an = await store.prisma.member.findFirstOrThrow({ where: { fullName: "Nguyễn Văn An" } });
      expect(an.active).toBe(false);
      const refused = await admin("invite", String(an.id));
      expect(refused.code).toBe(1);
      expect(refused.err).toContain("reactivate");
      expect((await admin("reactivate", String(an.id))).out).toContain("active again");
      expect((await store.prisma.member.findUniqueOrThrow({ where: { id: an.id } })).active).toBe(true);
      expect((await admin("invite", String(an.id))).code).toBe(0);
    } finally {
      await store.close();
    }
    expect((await admin("deactivate")).code).toBe(2);
  });
});
