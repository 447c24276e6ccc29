import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadExtensions } from "../../bot/extensions.js";
import { createStateStore } from "../../core/conversation/state-store.js";
import { createLogger } from "../../core/logger.js";
import { openTestEnv, type TestEnv } from "./helpers.js";

let env: TestEnv;
beforeEach(async () => {
  env = await openTestEnv();
});
afterEach(async () => {
  await env.cleanup();
});

describe("wiring into the server", () => {
  it("loadExtensions provides the meetings feature and a service that starts and stops cleanly", async () => {
    const { features, services } = await loadExtensions({
      config: env.config,
      logger: createLogger({ LOG_LEVEL: "silent" }),
      store: env.store,
      state: createStateStore(env.store),
      noticeChannels: ["telegram"],
    });
    expect(features.map((f) => f.name)).toContain("meetings");
    const meetings = features.find((f) => f.name === "meetings")!;
    expect(Object.keys(meetings.commands ?? {})).toEqual(expect.arrayContaining(["dangky", "hop", "doihop", "huyhop", "diemdanh"]));
    const service = services.find((s) => s.name === "meetings")!;
    await service.start();
    await service.stop();
    // Issue 11: the features that wait for typed text come before meetings, the library last; the deadline reminders run as a service.
    expect(features.map((f) => f.name)).toEqual(["evaluation", "minutes", "meetings", "study", "library"]);
    const deadlines = services.find((s) => s.name === "deadline reminders")!;
    await deadlines.start();
    await deadlines.stop();
  });
});
