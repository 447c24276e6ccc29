import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { openStore } from "./store.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe("openStore", () => {
  it("creates and migrates a fresh DATA_DIR by itself, and reopening applies nothing twice", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-store-"));
    dirs.push(dir);
    const config = loadConfig({ DATA_DIR: path.join(dir, "nested", "data") });
    const store = await openStore(config);
    expect(fs.existsSync(store.file)).toBe(true);
    expect(await store.prisma.member.count()).toBe(0);
    const migrations = store.sqlite.prepare("SELECT migration_name FROM _prisma_migrations").all();
    expect(migrations.length).toBeGreaterThan(0);
    await store.close();

    const again = await openStore(config);
    expect(again.sqlite.prepare("SELECT count(*) AS n FROM _prisma_migrations").get()).toEqual({ n: migrations.length });
    await again.close();
  });

  it("rejects a non-SQLite DATABASE_URL with a clear message", async () => {
    const config = loadConfig({ DATABASE_URL: "postgres://x/y", DATA_DIR: os.tmpdir() });
    await expect(openStore(config)).rejects.toThrow(/SQLite "file:" URL/);
  });
});
