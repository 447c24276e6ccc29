import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../config.js";
import { acquireInstanceLock, InstanceLockedError } from "./instance-lock.js";

const LOCK_MODULE = path.join(PROJECT_ROOT, "core", "db", "instance-lock.ts");

/** Another process that takes the lock on `dir` and keeps it until killed. */
async function holder(dir: string): Promise<ChildProcess> {
  const script = `import { acquireInstanceLock } from ${JSON.stringify(LOCK_MODULE)}; acquireInstanceLock(process.argv[1]); console.log("locked"); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, dir], { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("locked") && resolve());
    child.on("exit", (code) => reject(new Error(`lock holder exited (${code})`)));
  });
  return child;
}

describe("one server per DATA_DIR", () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
  });

  it("refuses a second holder, naming the first one's pid; a holder killed with -9 blocks nobody", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-lock-"));
    const first = await holder(dir);
    children.push(first);
    let refused: unknown;
    try {
      acquireInstanceLock(dir);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(InstanceLockedError);
    expect((refused as InstanceLockedError).pid).toBe(first.pid);
    expect((refused as Error).message).toContain(`pid ${first.pid}`);
    expect((refused as Error).message).toContain(dir);

    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const lock = acquireInstanceLock(dir); // the dead process's lock is gone with it
    expect(() => acquireInstanceLock(dir)).toThrow(InstanceLockedError); // and now this process holds it
    lock.release();
    acquireInstanceLock(dir).release();
  });
});
