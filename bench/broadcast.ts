/**
 * Broadcast benchmark: one meeting notice to N members through the persistent outbox
 * and the real Telegram sender, against a local fake Bot API that enforces Telegram's
 * limits (429 + retry_after beyond `rate`/s overall or 1/s per chat).
 *
 *   npm run bench:broadcast                          # 10,000 members at 30/s (~6 min per meeting run, ~11 min for the study run)
 *   npm run bench:broadcast -- --members 2000 --rate 300
 *   npm run bench:broadcast -- --no-crash            # skip the kill-and-restart run
 *   npm run bench:broadcast -- --only study          # just the study-task run (also: --only meeting, --only crash)
 *
 * Run 1 delivers everything in one worker process. Run 2 SIGKILLs the worker process
 * once mid-broadcast and starts a new one on the same DATA_DIR. Run 3 is a study task
 * (issue 11): its notice to every member, then the reminder pass (run twice, as after a
 * restart) for the 90% who have not confirmed, delivered together. Each run reports time
 * to deliver all, achieved rate vs the configured limit, 429s received, messages lost
 * and duplicates (for run 2, compared with the rows that were in flight at the kill;
 * for run 3, per member and message kind, with reminders to confirmed members counted as duplicates).
 * The worker runs in a child process (`--child`) so that the kill is a real crash, set up
 * as the server sets it up (server store settings, the raw connection for marks).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTelegramSender } from "../bot/telegram/sender.js";
import { loadConfig } from "../core/config.js";
import { openStore, sqliteTime } from "../core/db/store.js";
import { createLogger } from "../core/logger.js";
import { ensureCell } from "../core/members/organizations.js";
import { scheduleMeeting } from "../core/meetings/service.js";
import { createStudyTask, processStudyReminders } from "../core/study/service.js";
import { outboxStatusCounts } from "../core/outbox/outbox.js";
import { createOutboxWorker } from "../core/outbox/worker.js";
import { startFakeApi } from "../test/channels/support/fake-api.js";

const SELF = fileURLToPath(import.meta.url);

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// ---------------------------------------------------------------- child: the delivery worker

async function child(): Promise<void> {
  const dataDir = flag("data-dir")!;
  const rate = Number(flag("rate"));
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent" });
  const store = await openStore(config);
  await store.useServerSettings();
  const logger = createLogger({ LOG_LEVEL: "silent" });
  const sender = createTelegramSender({ token: flag("token")!, apiRoot: flag("api")!, logger });
  const worker = createOutboxWorker({
    prisma: store.prisma,
    sqlite: store.sqlite,
    senders: [sender],
    limits: { telegram: { perSecond: rate, perChatPerSecond: 1 } },
  });
  const recovered = await worker.recover();
  await worker.start();
  process.stdout.write(JSON.stringify({ event: "started", recovered }) + "\n");
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const open = await store.prisma.outboxMessage.count({ where: { status: { in: ["pending", "sending"] } } });
    if (open === 0) break;
  }
  await worker.stop();
  process.stdout.write(JSON.stringify({ event: "done", counts: await outboxStatusCounts(store.prisma) }) + "\n");
  await store.close();
}

// ---------------------------------------------------------------- parent: seed, run, measure

type Scenario = "meeting" | "study";

/** Every message the run must deliver, as "<chat id>|<kind>" (kind: the message's first line up to its first "(" or ":"). */
type Expected = Set<string>;

const kindOf = (text: string) => text.split("\n")[0]!.split(/[(:]/)[0]!.trim();

async function seed(dataDir: string, members: number, scenario: Scenario): Promise<{ enqueueMs: number; expected: Expected }> {
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent" });
  const store = await openStore(config);
  const cell = await ensureCell(store.prisma, { chiBo: "Chi bộ benchmark" });
  const insertMember = store.sqlite.prepare(
    `INSERT INTO "Member" ("fullName", "key", "organizationId", "role", "status", "active", "createdAt", "updatedAt")
     VALUES (?, ?, ?, 'dang_vien', 'chinh_thuc', 1, ?, ?)`,
  );
  const insertIdentity = store.sqlite.prepare(
    `INSERT INTO "ChatIdentity" ("memberId", "channel", "platformUserId", "chatId", "linkedAt") VALUES (?, 'telegram', ?, ?, ?)`,
  );
  const now = sqliteTime(new Date());
  store.sqlite.transaction(() => {
    for (let i = 0; i < members; i++) {
      const r = insertMember.run(`Đảng viên ${i}`, `bench:${i}`, cell.id, now, now);
      const chatId = String(1_000_000 + i);
      insertIdentity.run(r.lastInsertRowid, chatId, chatId, now);
    }
  })();
  const t0 = performance.now();
  const expected: Expected = new Set();
  const chat = (i: number) => String(1_000_000 + i);
  if (scenario === "meeting") {
    await scheduleMeeting(
      { prisma: store.prisma, config, clock: () => new Date() },
      { organizationId: cell.id, startsAt: new Date(Date.now() + 7 * 86_400_000), location: "Hội trường", agenda: "Benchmark" },
    );
    for (let i = 0; i < members; i++) expected.add(`${chat(i)}|${kindOf("📢 **THÔNG BÁO SINH HOẠT CHI BỘ** (")}`);
  } else {
    await enqueueStudyTask(store, config, cell.id, members, expected, chat);
  }
  const enqueueMs = performance.now() - t0;
  await store.close();
  return { enqueueMs, expected };
}

/**
 * A study task on a document with an outline: the notice to every member; every tenth member
 * confirms; the reminder pass at its due time queues the rest a reminder (run twice, as after a
 * restart: the second pass must queue nothing).
 */
async function enqueueStudyTask(store: Awaited<ReturnType<typeof openStore>>, config: ReturnType<typeof loadConfig>, cellId: number, members: number, expected: Expected, chat: (i: number) => string): Promise<void> {
  const doc = await store.prisma.document.create({ data: { source: "bench-dieu-le.txt", path: "/bench", sha256: "bench", format: "txt", title: "Điều lệ mẫu (benchmark)", docType: "Điều lệ" } });
  for (let i = 0; i < 12; i++) {
    await store.prisma.section.create({ data: { documentId: doc.id, ordinal: i, path: `ch${i + 1}`, kind: "chapter", marker: `Chương ${i + 1}`, title: `Chương thứ ${i + 1}`, depth: 1, text: `Chương ${i + 1}` } });
  }
  const due = new Date(Date.now() + 10 * 86_400_000);
  const dueOn = due.toISOString().slice(0, 10);
  const ctx = { prisma: store.prisma, config, clock: () => new Date() };
  const { task } = await createStudyTask(ctx, { organizationId: cellId, document: { source: doc.source, title: doc.title, number: null, docType: "Điều lệ", issuedOn: null }, dueOn, deadlineAt: due, note: "benchmark" });
  const memberIds = (await store.prisma.member.findMany({ where: { organizationId: cellId }, select: { id: true }, orderBy: { id: "asc" } })).map((m) => m.id);
  const confirmed = store.sqlite.prepare(`INSERT INTO "StudyConfirmation" ("taskId", "memberId", "channel", "confirmedAt") VALUES (?, ?, 'telegram', ?)`);
  store.sqlite.transaction(() => {
    memberIds.forEach((id, i) => {
      if (i % 10 === 0) confirmed.run(task.id, id, sqliteTime(new Date()));
    });
  })();
  // Bring the first reminder's time forward to now (the outbox rows it queues are due at once).
  const first = await store.prisma.deadlineReminder.findFirstOrThrow({ where: { subject: "study", subjectId: task.id, status: "pending" }, orderBy: { dueAt: "desc" } });
  await store.prisma.deadlineReminder.update({ where: { id: first.id }, data: { dueAt: new Date(Date.now() - 1000) } });
  const passes = [await processStudyReminders(ctx)];
  await store.prisma.deadlineReminder.update({ where: { id: first.id }, data: { status: "pending" } });
  passes.push(await processStudyReminders(ctx)); // the same reminder again: its outbox keys already exist
  console.log(`[study] reminder passes processed ${passes.join(" + ")} reminder(s)`);
  for (let i = 0; i < members; i++) {
    expected.add(`${chat(i)}|${kindOf("📚 **HỌC TẬP, QUÁN TRIỆT** (")}`);
    if (i % 10 !== 0) expected.add(`${chat(i)}|${kindOf("⏰ **NHẮC HỌC TẬP** (")}`);
  }
}

function startChild(args: string[]): { proc: ChildProcess; done: Promise<number | null>; lines: string[] } {
  // BENCH_CHILD_NODE_ARGS (e.g. "--cpu-prof") lets one profile the worker process.
  const nodeArgs = (process.env.BENCH_CHILD_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, "--import", "tsx", SELF, "--child", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const lines: string[] = [];
  proc.stdout!.setEncoding("utf8").on("data", (d: string) => lines.push(...d.split("\n").filter(Boolean)));
  const done = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  return { proc, done, lines };
}

interface RunResult {
  label: string;
  members: number;
  deliveredAll: boolean;
  seconds: number;
  achievedRate: number;
  rejected429: number;
  lost: number;
  duplicates: number;
  inFlightAtKill?: number;
  recovered?: number;
  messages?: number;
}

async function run(label: string, members: number, rate: number, killAt?: number, scenario: Scenario = "meeting"): Promise<RunResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-bench-broadcast-"));
  try {
    const { enqueueMs, expected } = await seed(dataDir, members, scenario);
    console.log(`[${label}] queued ${expected.size} messages for ${members} members in the outbox in ${(enqueueMs / 1000).toFixed(2)} s`);
    const api = await startFakeApi("telegram", { limits: { perSecond: rate, perChatPerSecond: 1, retryAfter: 1 } });
    const args = ["--data-dir", dataDir, "--rate", String(rate), "--api", api.url, "--token", "123456:BENCH-token"];
    const started = performance.now();
    let worker = startChild(args);
    let inFlightAtKill: number | undefined;
    let recovered: number | undefined;
    if (killAt !== undefined) {
      while (api.all.length < killAt) {
        if (worker.proc.exitCode !== null) throw new Error("worker exited before the kill point");
        await new Promise((r) => setTimeout(r, 5));
      }
      worker.proc.kill("SIGKILL");
      await worker.done;
      const config = loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent" });
      const store = await openStore(config);
      inFlightAtKill = await store.prisma.outboxMessage.count({ where: { status: "sending" } });
      await store.close();
      console.log(`[${label}] SIGKILL after ${api.all.length} accepted messages; rows in flight ("sending"): ${inFlightAtKill}`);
      worker = startChild(args);
    }
    const code = await worker.done;
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`worker exited with code ${code}`);
    if (killAt !== undefined) {
      const startedLine = worker.lines.map((l) => JSON.parse(l) as { event: string; recovered?: number }).find((l) => l.event === "started");
      recovered = startedLine?.recovered;
    }
    // Each delivered message against the expected set: one per (chat, kind); anything else is a duplicate.
    const seen = new Map<string, number>();
    for (const m of api.calls("sendMessage")) {
      const key = `${String(m.chat_id)}|${kindOf(String(m.text).replace(/<\/?b>/g, "**"))}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    const lost = [...expected].filter((k) => !seen.has(k)).length;
    const duplicates = [...seen].reduce((n, [k, c]) => n + (expected.has(k) ? c - 1 : c), 0);
    const times = api.all.map((c) => c.at).sort((a, b) => a - b);
    let span = (times[times.length - 1]! - times[0]!) / 1000;
    if (killAt !== undefined) {
      // Rate while sending: the kill-and-restart gap (process start-up) is not the limiter's doing.
      let gap = 0;
      for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i]! - times[i - 1]!);
      span -= gap / 1000;
    }
    // A sliding 1 s window lets at most rate × (span + 1 s) messages through in `span`
    // seconds (the first window starts full); dividing by span + 1 keeps the figure ≤ 100%.
    const achievedRate = api.all.length / (span + 1);
    const result: RunResult = {
      label,
      members,
      deliveredAll: lost === 0,
      seconds,
      achievedRate,
      rejected429: api.refused.length,
      lost,
      duplicates,
      inFlightAtKill,
      recovered,
      messages: scenario === "study" ? expected.size : undefined,
    };
    await api.close();
    return result;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(r: RunResult, rate: number, restartGapNote = false): void {
  console.log(`\n== ${r.label} ==`);
  console.log(`members                 ${r.members}`);
  if (r.messages !== undefined) console.log(`messages                ${r.messages} (notices and reminders)`);
  console.log(`time to deliver all     ${r.seconds.toFixed(1)} s${restartGapNote ? " (includes the kill and a process restart)" : ""}`);
  console.log(
    `achieved rate           ${r.achievedRate.toFixed(2)} msg/s = ${((100 * r.achievedRate) / rate).toFixed(1)}% of the ${rate}/s limit (target ≥ 95%)` +
      (restartGapNote ? ", not counting the restart gap" : ""),
  );
  console.log(`429 responses received  ${r.rejected429}`);
  console.log(`messages lost           ${r.lost} (target 0)`);
  console.log(`duplicates              ${r.duplicates}${r.inFlightAtKill !== undefined ? ` (target ≤ rows in flight at the kill: ${r.inFlightAtKill})` : " (target 0)"}`);
  if (r.recovered !== undefined) console.log(`rows re-sent on restart ${r.recovered}`);
}

async function main(): Promise<void> {
  if (process.argv.includes("--child")) return child();
  const members = Number(flag("members") ?? 10_000);
  const rate = Number(flag("rate") ?? loadConfig({ ...process.env, LOG_LEVEL: "silent" }).TELEGRAM_RATE_PER_SECOND);
  const crash = !process.argv.includes("--no-crash");
  console.log(`Broadcast benchmark: ${members} members, limit ${rate} msg/s overall and 1 msg/s per chat (fake Bot API enforces both).`);
  console.log(`Node ${process.version}, ${os.cpus().length} CPU(s). Expected time per meeting run ≈ ${(members / rate).toFixed(0)} s, study run ≈ ${((members * 1.9) / rate).toFixed(0)} s.`);
  const only = flag("only");
  const wanted = (name: string) => !only || only === name;
  const clean = (r: RunResult) => r.lost === 0 && r.duplicates === 0 && r.achievedRate >= 0.95 * rate;
  let ok = true;
  if (wanted("meeting")) {
    const plain = await run("run 1: uninterrupted", members, rate);
    report(plain, rate);
    ok &&= clean(plain);
  }
  if (crash && wanted("crash")) {
    const crashed = await run("run 2: worker SIGKILLed once mid-broadcast, then restarted", members, rate, Math.floor(members * 0.4));
    report(crashed, rate, true);
    ok &&= crashed.lost === 0 && crashed.duplicates <= (crashed.inFlightAtKill ?? 0);
  }
  if (wanted("study")) {
    const study = await run("run 3: study task, notice to all and reminders to the 90% unconfirmed", members, rate, undefined, "study");
    report(study, rate);
    ok &&= clean(study);
  }
  console.log(`\nparameters: --members ${members} --rate ${rate}${crash ? "" : " --no-crash"}${only ? ` --only ${only}` : ""}; targets ${ok ? "MET" : "NOT MET"}`);
  process.exitCode = ok ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
