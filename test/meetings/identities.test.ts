import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAdmin } from "../../bot/cli/admin.js";
import { createMeetingsFeature } from "../../core/meetings/feature.js";
import { addMember, dispatch, openTestEnv, said, text, type TestEnv } from "./helpers.js";

let env: TestEnv;
beforeEach(async () => {
  env = await openTestEnv();
});
afterEach(async () => {
  await env.cleanup();
});

async function admin(...argv: string[]) {
  const io = { out: "", err: "" };
  const code = await runAdmin(argv, { DATA_DIR: env.dir, DATABASE_URL: env.config.DATABASE_URL, LOG_LEVEL: "silent" }, {
    out: { write: (t: string) => (io.out += t) },
    err: { write: (t: string) => (io.err += t) },
  });
  return { code, ...io };
}

const accounts = async (memberId: number) =>
  (await env.store.prisma.chatIdentity.findMany({ where: { memberId }, orderBy: { id: "asc" } })).map((a) => `${a.channel} ${a.platformUserId}`);

/** The code printed by `invite`. */
const codeIn = (out: string) => /: ([A-Z2-9]{8})\n/.exec(out)![1]!;

describe("npm run admin -- identities / unlink", () => {
  it("lists a member's linked accounts, and says so when there are none", async () => {
    const an = await addMember(env.store, { name: "Nguyễn Văn An", cell: "Chi bộ 1", link: { channel: "telegram", userId: "555" } });
    await env.store.prisma.chatIdentity.create({ data: { memberId: an.id, channel: "zalo", platformUserId: "z-9", chatId: "z-9" } });
    await addMember(env.store, { name: "Trần Bình", cell: "Chi bộ 1" });

    const listed = await admin("identities", "nguyen van an");
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(`Nguyễn Văn An (Chi bộ 1, id ${an.id}): 2 linked account(s)`);
    expect(listed.out).toMatch(/ {2}telegram\tuser 555\tchat 555\tlinked \d{4}-\d\d-\d\dT/);
    expect(listed.out).toContain("zalo\tuser z-9\tchat z-9");
    expect((await admin("identities", "Trần Bình")).out).toContain("has no linked account");
    expect(await admin("identities", "Không Ai")).toMatchObject({ code: 1, err: 'No member matches "Không Ai".\n' });
    expect((await admin("identities")).code).toBe(2);
  });

  it("unlinks the only account, one channel's, or all with --all; never more than asked", async () => {
    const an = await addMember(env.store, { name: "Nguyễn Văn An", cell: "Chi bộ 1", link: { channel: "telegram", userId: "555" } });
    await env.store.prisma.chatIdentity.create({ data: { memberId: an.id, channel: "zalo", platformUserId: "z-9", chatId: "z-9" } });
    await env.store.prisma.chatIdentity.create({ data: { memberId: an.id, channel: "zalo", platformUserId: "z-10", chatId: "z-10" } });

    // Several accounts and no choice: refused, listing them.
    const vague = await admin("unlink", String(an.id));
    expect(vague.code).toBe(1);
    expect(vague.err).toContain("has 3 linked accounts: telegram 555, zalo z-9, zalo z-10. Add --all to unlink all 3, or --channel telegram|zalo for one channel; nothing unlinked.");
    const twoOnZalo = await admin("unlink", String(an.id), "--channel", "zalo");
    expect(twoOnZalo.code).toBe(1);
    expect(twoOnZalo.err).toContain("has 2 linked accounts on zalo");
    expect(await accounts(an.id)).toHaveLength(3);

    const telegram = await admin("unlink", "Nguyễn Văn An", "--channel", "telegram");
    expect(telegram.code).toBe(0);
    expect(telegram.out).toContain("Unlinked from Nguyễn Văn An");
    expect(telegram.out).toContain("telegram 555");
    expect(telegram.out).toContain("Still linked: zalo z-9, zalo z-10.");
    expect(await accounts(an.id)).toEqual(["zalo z-9", "zalo z-10"]);
    // The unlinked account is a stranger to the bot now.
    const feature = createMeetingsFeature({ prisma: env.store.prisma, config: env.config, state: env.state, clock: env.clock.now });
    expect(said(await dispatch(feature, text("telegram", "555", "/lichhop")))).toContain("/dangky");

    const gone = await admin("unlink", String(an.id), "--channel", "telegram");
    expect(gone.code).toBe(1);
    expect(gone.err).toContain("has no linked telegram account (linked: zalo z-9, zalo z-10); nothing unlinked.");

    const all = await admin("unlink", String(an.id), "--channel", "zalo", "--all");
    expect(all.code).toBe(0);
    expect(all.out).toContain(`No account is linked now; "invite ${an.id}" issues a new registration code.`);
    expect(await accounts(an.id)).toEqual([]);
    expect(await admin("unlink", String(an.id))).toMatchObject({ code: 1, err: expect.stringContaining("has no linked account; nothing to unlink.") });
  });

  it("answers bad input with a clear message and the usage, changing nothing", async () => {
    const an = await addMember(env.store, { name: "Nguyễn Văn An", cell: "Chi bộ 1", link: { channel: "telegram", userId: "555" } });
    const cases: [string[], RegExp][] = [
      [["unlink"], /unlink needs a member id or name/],
      [["unlink", String(an.id), "--channel", "web"], /--channel must be telegram or zalo \(got "web"\)/],
      [["unlink", String(an.id), "--channel"], /unlink: Option '--channel <value>' argument missing/],
      [["unlink", String(an.id), "--chanel", "zalo"], /unlink: Unknown option '--chanel'/],
      [["invite", String(an.id), "--replce"], /invite: Unknown option '--replce'/],
    ];
    for (const [argv, message] of cases) {
      const result = await admin(...argv);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.err).toMatch(message);
      expect(result.err).toContain("npm run admin -- unlink <member id or name> [--channel telegram|zalo] [--all]");
    }
    expect(await admin("unlink", "Không Ai")).toMatchObject({ code: 1, err: 'No member matches "Không Ai".\n' });
    expect(await accounts(an.id)).toEqual(["telegram 555"]);
  });
});

describe("npm run admin -- invite for a member already linked", () => {
  it("says so and offers --replace; a replacing code unlinks the old accounts when it is redeemed, not before", async () => {
    const an = await addMember(env.store, { name: "Nguyễn Văn An", cell: "Chi bộ 1", link: { channel: "telegram", userId: "555" } });
    const feature = createMeetingsFeature({ prisma: env.store.prisma, config: env.config, state: env.state, clock: env.clock.now });

    const plain = await admin("invite", String(an.id));
    expect(plain.code).toBe(0);
    expect(plain.out).toContain("Note: Nguyễn Văn An already has 1 linked account(s): telegram 555. This code links one more;");
    expect(plain.out).toContain(`run "invite ${an.id} --replace"`);
    // Without --replace the new account is added beside the old one.
    expect(said(await dispatch(feature, text("zalo", "z-1", `/dangky ${codeIn(plain.out)}`)))).toContain("Đã liên kết");
    expect(await accounts(an.id)).toEqual(["telegram 555", "zalo z-1"]);

    const replacing = await admin("invite", String(an.id), "--replace");
    expect(replacing.out).toContain("When this code is redeemed, the member's other linked accounts are unlinked (linked now: telegram 555, zalo z-1).");
    expect(await accounts(an.id)).toEqual(["telegram 555", "zalo z-1"]); // nothing changes until then
    const out = said(await dispatch(feature, text("telegram", "777", `/dangky ${codeIn(replacing.out)}`)));
    expect(out).toContain("Đã liên kết tài khoản với đồng chí **Nguyễn Văn An**");
    expect(out).toContain("2 tài khoản liên kết trước đây của đồng chí đã được hủy liên kết");
    expect(await accounts(an.id)).toEqual(["telegram 777"]);
    expect(said(await dispatch(feature, text("telegram", "555", "/lichhop")))).toContain("/dangky");

    const fresh = await addMember(env.store, { name: "Trần Bình", cell: "Chi bộ 1" });
    const first = await admin("invite", String(fresh.id), "--replace");
    expect(first.out).toContain("(--replace: no account is linked yet, so none will be unlinked.)");
    expect((await admin("invite", String(fresh.id))).out).not.toContain("Note:");
  });

  it("import-members --json tells, beside each new code, how many accounts are already linked", async () => {
    const file = path.join(env.dir, "roster.csv");
    fs.writeFileSync(file, "ho_ten,chi_bo,vai_tro\nNguyễn Văn An,Chi bộ 1,Đảng viên\nTrần Bình,Chi bộ 1,Đảng viên\n");
    expect((await admin("import-members", file)).code).toBe(0);
    const an = await env.store.prisma.member.findFirstOrThrow({ where: { fullName: "Nguyễn Văn An" } });
    await env.store.prisma.chatIdentity.create({ data: { memberId: an.id, channel: "telegram", platformUserId: "555", chatId: "555" } });
    // Importing again (an updated roster) issues new codes.
    const { code, out } = await admin("import-members", file, "--json");
    expect(code).toBe(0);
    const members = (JSON.parse(out) as { members: { fullName: string; linkedAccounts: number }[] }).members;
    expect(members.map((m) => [m.fullName, m.linkedAccounts])).toEqual([
      ["Nguyễn Văn An", 1],
      ["Trần Bình", 0],
    ]);
  });
});
