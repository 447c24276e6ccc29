import { describe, expect, it } from "vitest";
import { WorkerLoop } from "./worker-loop.js";

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(ok()).toBe(true);
};

describe("the outbox workers' loop", () => {
  it("passes again when woken, even during a pass; reports a failing pass once, its recovery once, and stops after the pass in progress", async () => {
    const outcomes = ["fail", "fail", "ok", "ok"];
    const failures: boolean[] = [];
    let passes = 0;
    let recoveries = 0;
    const loop = new WorkerLoop({
      pass: async () => {
        const outcome = outcomes[passes++] ?? "ok";
        if (outcome === "fail") throw new Error("database down");
      },
      nextDueAt: async () => null,
      idlePollMs: 60_000, // only wake() starts another pass
      clock: () => new Date(),
      onFailure: (_err, first) => failures.push(first),
      onRecovery: () => recoveries++,
    });
    loop.start();
    await until(() => passes === 1);
    for (const expected of [2, 3, 4]) {
      loop.wake();
      await until(() => passes === expected);
    }
    expect(failures).toEqual([true, false]);
    expect(recoveries).toBe(1);
    await loop.stop();
    expect(loop.isRunning).toBe(false);
    loop.wake(); // nothing asleep: no pass
    await new Promise((r) => setTimeout(r, 20));
    expect(passes).toBe(4);
  });

  it("sleeps until the time a pass asked for, or the next due row, not the idle poll", async () => {
    let passes = 0;
    let dueAsked = 0;
    const loop = new WorkerLoop({
      pass: async () => {
        passes++;
        if (passes === 1) loop.wakeAt(Date.now() + 10); // a slot frees in 10 ms
      },
      nextDueAt: async () => (dueAsked++, passes === 2 ? Date.now() + 10 : null),
      idlePollMs: 60_000,
      clock: () => new Date(),
      onFailure: () => undefined,
      onRecovery: () => undefined,
    });
    loop.start();
    await until(() => passes === 3);
    expect(dueAsked).toBe(2); // only after the passes that set no wake time
    await loop.stop();
  });
});
