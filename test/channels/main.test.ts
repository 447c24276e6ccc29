import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../core/config.js";

const TSX = path.join(PROJECT_ROOT, "node_modules", ".bin", "tsx");

function start(env: Record<string, string>, dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-main-"))): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let out = "";
  const handbook = path.join(dataDir, "handbook");
  fs.mkdirSync(handbook, { recursive: true });
  fs.writeFileSync(
    path.join(handbook, "dang-phi.md"),
    "# Sổ tay thử: Đảng phí\n\n## Đảng viên hưu trí đóng đảng phí bao nhiêu?\nĐảng viên hưu trí đóng đảng phí hằng tháng bằng 0,5% lương hưu.\n",
  );
  const child = spawn(TSX, ["bot/main.ts"], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, SAMPLE_HANDBOOK_DIR: handbook, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("npm start (bot/main.ts)", () => {
  let running: ChildProcess | undefined;
  afterEach(() => {
    if (running && running.exitCode === null) running.kill("SIGKILL");
  });

  it("refuses a second server on the same DATA_DIR, naming the first one's pid", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-main-twice-"));
    const first = start({}, dataDir);
    running = first.child;
    await until(() => (/Server listening at/.test(first.output()) ? true : undefined));
    const serverPid = /"pid":(\d+)/.exec(first.output())![1]; // the node process under tsx, as the log says
    const second = start({}, dataDir);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`Another server (pid ${serverPid})`);
    expect(second.output()).toContain(dataDir);
    expect(first.child.exitCode).toBeNull(); // the first one is untouched
    first.child.kill("SIGTERM"); // tsx passes it on to the server (SIGKILL would orphan the server)
    expect(await first.exited).toBe(0);
  });

  it("with no tokens ingests the sample handbook, becomes ready, answers on the web chat (searching in a thread), and stops on SIGTERM", async () => {
    const app = start({ SEARCH_THREADS: "1" });
    running = app.child;
    const base = await until(() => /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(app.output())?.[1]);
    await until(async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined));
    expect(app.output()).toContain("ingesting the sample handbook");
    expect(app.output()).toMatch(/"threads":1,"msg":"search threads ready"/); // SEARCH_THREADS below
    const res = await fetch(`${base}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sessionId: "main-test-session", text: "đảng viên hưu trí đóng đảng phí bao nhiêu" }),
    });
    const { replies } = (await res.json()) as { replies: { text: string }[] };
    expect(replies[0]!.text).toContain("0,5% lương hưu");
    // The web chat has no accounts, so its help lists only what works there: asking.
    const help = await fetch(`${base}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sessionId: "main-test-session", text: "/trogiup" }),
    });
    const helpText = ((await help.json()) as { replies: { text: string }[] }).replies[0]!.text;
    expect(helpText).toContain("/hoi");
    expect(helpText).not.toContain("/lichhop");
    // The meetings feature is still plugged in for the messaging channels.
    expect(app.output()).toMatch(/"services":\[[^\]]*"meetings"/);
    app.child.kill("SIGTERM");
    expect(await app.exited).toBe(0);
    expect(app.output()).toContain("shutting down");
    expect(app.output()).not.toContain("0,5% lương hưu"); // no message text in the log
  });

  it("refuses to start in Telegram webhook mode without a secret, saying why", async () => {
    const app = start({ TELEGRAM_BOT_TOKEN: "1:abc", TELEGRAM_MODE: "webhook" });
    running = app.child;
    expect(await app.exited).toBe(1);
    expect(app.output()).toContain("TELEGRAM_WEBHOOK_SECRET");
    expect(app.output()).not.toContain("1:abc");
  });
});
