import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { testDatabaseEnv, TEST_ENGINE } from "../../test/support/database.js";
import { clusterJobs } from "./cluster-jobs.js";
import { openStore, type Store } from "./store.js";

const opened: { store: Store; dir: string }[] = [];
/** `n` server instances' stores on one database (SQLite: one store, as one server per database). */
async function instances(n: number): Promise<Store[]> {
  const env = await testDatabaseEnv();
  const stores: Store[] = [];
  for (let i = 0; i < n; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-jobs-"));
    const store = await openStore(loadConfig({ DATA_DIR: dir, LOG_LEVEL: "silent", ...env }));
    opened.push({ store, dir });
    stores.push(store);
  }
  return stores;
}

afterEach(async () => {
  for (const { store, dir } of opened.splice(0)) {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe(`scheduled jobs (${TEST_ENGINE})`, () => {
  it("run every pass on one server", async () => {
    const [store] = await instances(1);
    const jobs = clusterJobs(store!);
    expect(await jobs.exclusive("a job", async () => 7)).toBe(7);
    expect(await jobs.exclusive("a job", async () => 8)).toBe(8);
  });

  it.runIf(TEST_ENGINE === "postgresql")("run once cluster-wide: while one instance runs a job, the others skip it; other jobs run", async () => {
    const [one, two, three] = (await instances(3)).map(clusterJobs);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const held = one!.exclusive("meeting reminders", async () => {
      started();
      await gate;
      return "one";
    });
    await running;
    expect(await two!.exclusive("meeting reminders", async () => "two")).toBeUndefined();
    expect(await three!.exclusive("meeting reminders", async () => "three")).toBeUndefined();
    expect(await two!.exclusive("maintenance", async () => "two")).toBe("two");
    release();
    expect(await held).toBe("one");
    // Released: the next pass may run anywhere.
    expect(await three!.exclusive("meeting reminders", async () => "three")).toBe("three");
  });

  it.runIf(TEST_ENGINE === "postgresql")("release the lock when a pass fails, so the job is not stuck", async () => {
    const [one, two] = (await instances(2)).map(clusterJobs);
    await expect(one!.exclusive("deadline reminders", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await two!.exclusive("deadline reminders", async () => "ran")).toBe("ran");
  });
});
