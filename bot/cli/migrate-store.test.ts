import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../core/config.js";
import { openStore, type Store } from "../../core/db/store.js";
import { closeKnowledgeBases, openTestKnowledgeBase } from "../../core/knowledge/open-kb.testkit.js";
import { createMeetingsFeature } from "../../core/meetings/feature.js";
import { createStateStore } from "../../core/conversation/state-store.js";
import { ingestPaths } from "../../ingest/pipeline.js";
import { addMember, dispatch, FakeClock, T0, text } from "../../test/meetings/helpers.js";
import { freshPostgresqlDatabase, TEST_ENGINE } from "../../test/support/database.js";
import { runAdmin } from "./admin.js";

const HANDBOOK = `# Sổ tay thử nghiệm

## Đảng phí
Đảng viên hưu trí đóng đảng phí hằng tháng bằng 0,5% lương hưu.

## Dự bị
Thời gian dự bị là mười hai tháng.
`;

const dirs: string[] = [];
afterEach(async () => {
  await closeKnowledgeBases();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function admin(argv: string[]) {
  let out = "";
  let err = "";
  const code = await runAdmin(argv, {}, { out: { write: (t: string) => (out += t) }, err: { write: (t: string) => (err += t) } });
  return { code, out, err };
}

/** A SQLite store with a member, a meeting with attendance, and documents; its file URL. */
async function sqliteStoreWithData(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-migrate-"));
  dirs.push(dir);
  const file = path.join(dir, "sotay.db");
  const config = loadConfig({ DATA_DIR: dir, DATABASE_URL: `file:${file}`, LOG_LEVEL: "silent" });
  const { kb, store } = await openTestKnowledgeBase(config);
  fs.writeFileSync(path.join(dir, "so-tay.md"), HANDBOOK);
  await ingestPaths([path.join(dir, "so-tay.md")], kb);
  const clock = new FakeClock(T0);
  await addMember(store, { name: "Bí thư", cell: "Chi bộ 1", role: "bi_thu", link: { channel: "telegram", userId: "100" } });
  await addMember(store, { name: "Nguyễn Văn An", cell: "Chi bộ 1", link: { channel: "zalo", userId: "z-101" } });
  const feature = createMeetingsFeature({ prisma: store.prisma, config, state: createStateStore(store, () => clock.ms), clock: clock.now });
  await dispatch(feature, text("telegram", "100", "/hop 2026-12-04 19:30 | Hội trường | Họp tháng 12"));
  await dispatch(feature, text("zalo", "z-101", "vắng, đi công tác"));
  expect(await store.prisma.attendance.count()).toBe(1);
  return `file:${file}`;
}

/** Rows per model, read through Prisma (so both engines are read the same way). */
async function counts(store: Store) {
  const p = store.prisma;
  return {
    members: await p.member.count(),
    organizations: await p.organization.count(),
    identities: await p.chatIdentity.count(),
    meetings: await p.meeting.count(),
    attendance: await p.attendance.count(),
    reminders: await p.reminder.count(),
    outbox: await p.outboxMessage.count(),
    documents: await p.document.count(),
    passages: await p.passage.count(),
    sections: await p.section.count(),
  };
}

describe("npm run admin -- migrate-store", () => {
  it("refuses a wrong or missing URL, saying how it is used", async () => {
    expect((await admin(["migrate-store", "--from", "file:/nowhere.db"])).err).toContain("needs --from and --to");
    const wrong = await admin(["migrate-store", "--from", "postgresql://x@h/db", "--to", "file:/x.db"]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain("--from must be a SQLite");
  });

  it.runIf(TEST_ENGINE === "postgresql")(
    "copies a SQLite store into an empty PostgreSQL database, ids and counts equal, sequences past the ids; a second run is refused",
    async () => {
      const from = await sqliteStoreWithData();
      const to = await freshPostgresqlDatabase();
      const run = await admin(["migrate-store", "--from", from, "--to", to]);
      expect(run.err).toBe("");
      if (process.env.SHOW_MIGRATE_OUTPUT) console.log(run.out);
      expect(run.code).toBe(0);
      expect(run.out).toMatch(/Member\s+2 rows \(equal on both sides\)/);
      expect(run.out).toMatch(/Attendance\s+1 row \(/);
      expect(run.out).toContain("Not copied (SQLite's own search indexes");

      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-migrated-"));
      dirs.push(dir);
      const source = await openStore(loadConfig({ DATA_DIR: path.dirname(from.slice(5)), DATABASE_URL: from, LOG_LEVEL: "silent" }));
      const target = await openStore(loadConfig({ DATA_DIR: dir, DATABASE_URL: to, LOG_LEVEL: "silent" }));
      try {
        const before = await counts(source);
        expect(before.passages).toBeGreaterThan(0);
        expect(await counts(target)).toEqual(before);
        // Ids, booleans, dates and texts as they were.
        const member = (s: Store) => s.prisma.member.findMany({ orderBy: { id: "asc" }, select: { id: true, fullName: true, active: true, createdAt: true } });
        expect(await member(target)).toEqual(await member(source));
        const meeting = (s: Store) => s.prisma.meeting.findMany({ select: { id: true, startsAt: true, status: true, attendances: { select: { memberId: true, response: true, reason: true, respondedAt: true } } } });
        expect(await meeting(target)).toEqual(await meeting(source));
        expect((await target.prisma.knowledgeVersion.findUnique({ where: { id: 1 } }))?.version).toBe((await source.prisma.knowledgeVersion.findUnique({ where: { id: 1 } }))?.version);
        // New rows get ids past the copied ones.
        const cell = await target.prisma.organization.findFirstOrThrow({ where: { kind: "chi_bo" } });
        const added = await target.prisma.member.create({ data: { fullName: "Mới", key: "t:new", organizationId: cell.id, role: "dang_vien" } });
        expect(added.id).toBe(Math.max(...(await member(source)).map((m) => m.id)) + 1);
      } finally {
        await source.close();
        await target.close();
      }

      const again = await admin(["migrate-store", "--from", from, "--to", to]);
      expect(again.code).toBe(1);
      expect(again.err).toMatch(/^Refused: the target database is not empty \(rows in .*Member.*\)/);
      expect(again.err).toContain("Nothing was copied");
    },
  );
});
