import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { createLogger } from "../logger.js";
import { TEST_ENGINE, testDatabaseEnv } from "../../test/support/database.js";
import { engineOf, redactUrl } from "./engine.js";
import { openStore } from "./store.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-store-"));
  dirs.push(dir);
  return dir;
}

describe(`openStore (${TEST_ENGINE})`, () => {
  it("creates and migrates a fresh store by itself, says which engine it uses, and reopening applies nothing twice", async () => {
    const dir = tempDir();
    const config = loadConfig({ DATA_DIR: path.join(dir, "nested", "data"), ...(await testDatabaseEnv()) });
    const lines: string[] = [];
    const logger = createLogger({ LOG_LEVEL: "info" }, { write: (l: string) => void lines.push(l) });
    const store = await openStore(config, { logger });
    expect(store.engine).toBe(TEST_ENGINE);
    expect(fs.existsSync(store.file)).toBe(true);
    expect(await store.prisma.member.count()).toBe(0);
    const opened = lines.map((l) => JSON.parse(l) as { msg: string; engine?: string }).find((l) => l.engine);
    expect(opened?.engine).toBe(TEST_ENGINE);
    expect(opened?.msg).toMatch(TEST_ENGINE === "sqlite" ? /^store: SQLite at / : /^store: PostgreSQL at postgresql:\/\//);
    const migrations = store.sqlite.prepare("SELECT migration_name FROM _prisma_migrations").all();
    expect(migrations.length).toBeGreaterThan(0);
    if (store.engine === "postgresql") {
      // The knowledge copy is local to the instance; the domain data is in the database.
      expect(store.file).toBe(path.join(config.DATA_DIR, "knowledge.db"));
      const { rows } = await store.pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
      expect(rows[0]!.n).toBeGreaterThan(0);
    }
    const member = await store.prisma.organization.create({ data: { kind: "chi_bo", name: "Chi bộ 1", key: "chi-bo-1" } });
    await store.close();

    const again = await openStore(config, { logger });
    expect(again.sqlite.prepare("SELECT count(*) AS n FROM _prisma_migrations").get()).toEqual({ n: migrations.length });
    expect(await again.prisma.organization.findUnique({ where: { id: member.id } })).toMatchObject({ name: "Chi bộ 1" });
    await again.close();
  });

  it("reads back dates and bytes exactly as written", async () => {
    const config = loadConfig({ DATA_DIR: tempDir(), LOG_LEVEL: "silent", ...(await testDatabaseEnv()) });
    const store = await openStore(config);
    const expiresAt = new Date("2026-12-01T02:03:04.567Z");
    const content = Buffer.from([0, 1, 2, 250, 255]);
    const link = await store.prisma.downloadLink.create({ data: { tokenHash: "h", fileName: "a.docx", mimeType: "x", content, expiresAt } });
    const back = await store.prisma.downloadLink.findUniqueOrThrow({ where: { id: link.id } });
    expect(back.expiresAt.toISOString()).toBe(expiresAt.toISOString());
    expect(Buffer.from(back.content)).toEqual(content);
    expect(await store.prisma.downloadLink.count({ where: { expiresAt: { gt: new Date("2026-12-01T02:03:04.566Z") } } })).toBe(1);
    await store.close();
  });
});

describe("engine selection", () => {
  it("picks PostgreSQL for postgresql:// and postgres:// URLs, SQLite otherwise, and never shows a password", () => {
    expect(engineOf("postgresql://u:p@h:5432/db")).toBe("postgresql");
    expect(engineOf("postgres://h/db")).toBe("postgresql");
    expect(engineOf("file:./data/sotay.db")).toBe("sqlite");
    expect(redactUrl("postgresql://sotay:s3cr%40t@db.example:5432/sotay?sslmode=require")).toBe("postgresql://sotay:***@db.example:5432/sotay?sslmode=require");
    expect(redactUrl("postgresql://h/db?password=xyz&x=1")).toBe("postgresql://h/db?password=***&x=1");
  });

  it("rejects a URL of another engine with a clear message", async () => {
    const config = loadConfig({ DATABASE_URL: "mysql://x/y", DATA_DIR: os.tmpdir(), LOG_LEVEL: "silent" });
    await expect(openStore(config)).rejects.toThrow(/SQLite "file:" URL or a PostgreSQL "postgresql:\/\/" URL/);
  });
});
