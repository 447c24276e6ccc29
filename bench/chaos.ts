/**
 * Chaos benchmark: the real server (`bot/main.ts`, a child process) against local fake
 * Telegram and Zalo Bot APIs (test/channels/support/fake-api.ts), through faults, for
 * `--runs` runs (default 5). Each run:
 *
 * 1. kill -9 in the middle of a burst of 200 attendance replies (Telegram, then Zalo; 20
 *    requests in flight, as a platform's parallel webhook connections), restart on the
 *    same DATA_DIR, redeliver every update that got no 200 (as the platforms do), and
 *    count per member: lost (no attendance recorded, or no confirmation received) and
 *    duplicated (the confirmation received more than once);
 * 2. a /hop whose reply fails (502) and whose update is delivered again: extra meetings
 *    and extra notices queued (the probe saw two meetings and 416 notices for 208);
 * 3. 500 questions posted at once, each from its own member and worded differently (no
 *    answer cache), over 40 keep-alive connections as Telegram's webhook delivery uses
 *    (max_connections 40 by default): acknowledgement p50/p99 (from the request on the
 *    wire to its answer), questions answered per second, errors; and where the CPU went per
 *    question (Linux): the server's main thread, its other threads (search threads, V8's
 *    garbage collector and compiler), and this process (the client and the fake APIs);
 * 4. another process holds the database for 8 s (BEGIN EXCLUSIVE) while /healthz is
 *    polled and 50 updates arrive: the worst /healthz time, /readyz during the lock, and
 *    whether any update was lost (those answered 503 are delivered again afterwards).
 *
 * The last line sums every run up for scripts (latency and throughput: the worst run):
 *   chaos: runs=5 lost=0 duplicated=0 duplicate_meetings=0 ack_p99_ms=<n> questions_per_s=<n> healthz_worst_ms=<n>
 *
 *   npm run bench:chaos
 *   npm run bench:chaos -- --runs 1
 *   BENCH_PROFILE=/tmp/prof npm run bench:chaos -- --runs 1   # CPU profiles of the servers that end cleanly
 *   SEARCH_THREADS=2 npm run bench:chaos                      # the server with that many search threads
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { loadConfig, PROJECT_ROOT } from "../core/config.js";
import { openStore, sqliteTime } from "../core/db/store.js";
import { ensureCell } from "../core/members/organizations.js";
import { startFakeApi, type FakeApi } from "../test/channels/support/fake-api.js";
import { freePort } from "../test/support/free-port.js";

const SELF = fileURLToPath(import.meta.url);
const TG_SECRET = "chaos-telegram-secret";
const ZALO_SECRET = "chaos-zalo-secret";
const BURST = 200;
const KILL_AFTER_ACKS = 100;
const IN_FLIGHT = 20;
const QUESTIONS_AT_ONCE = 500;
const LOCK_SECONDS = 8;
/** Parallel webhook connections per platform, as Telegram's default max_connections. */
const CONNECTIONS = 40;

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- the locker (a child process holding the database)

if (process.argv.includes("--lock")) {
  const db = new Database(flag("lock")!);
  db.exec("BEGIN EXCLUSIVE");
  db.exec(`INSERT INTO "ConversationState" (channel, chatId, data, expiresAt, updatedAt) VALUES ('chaos', 'lock', '{}', '2000', '2000')`);
  process.stdout.write("locked\n");
  // Hold it without spinning: a plain synchronous wait, as a stuck script would.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(flag("seconds")) * 1000);
  db.exec("ROLLBACK");
  db.close();
  process.exit(0);
}

// ---------------------------------------------------------------- the server under test

interface Server {
  proc: ChildProcess;
  base: string;
  /** Keep-alive connections to it, as a platform keeps them. */
  agent: http.Agent;
  exited: Promise<number | null>;
  log: () => string;
}


function serverEnv(dataDir: string, port: number, tg: FakeApi, zalo: FakeApi): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    PORT: String(port),
    LOG_LEVEL: "warn",
    WEB_CHAT_ENABLED: "false",
    QUESTIONS_PER_MINUTE: "1000",
    // The server's default (cores - 1) unless the benchmark is run with SEARCH_THREADS set.
    ...(process.env.SEARCH_THREADS ? { SEARCH_THREADS: process.env.SEARCH_THREADS } : {}),
    TELEGRAM_BOT_TOKEN: "100:CHAOS-telegram",
    TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
    TELEGRAM_API_ROOT: tg.url,
    ZALO_BOT_TOKEN: "200:CHAOS-zalo",
    ZALO_WEBHOOK_SECRET: ZALO_SECRET,
    ZALO_API_ROOT: zalo.url,
  };
}

/** Starts bot/main.ts (node itself, not the tsx wrapper, so a kill reaches the server) and waits for /readyz. */
async function startServer(env: Record<string, string>): Promise<Server> {
  // BENCH_PROFILE=<folder>: a .cpuprofile per thread of each server that ends cleanly (not the killed ones).
  const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const proc = spawn(process.execPath, [...profile, "--import", "tsx", "bot/main.ts"], { cwd: PROJECT_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  const base = `http://127.0.0.1:${env.PORT}`;
  for (const deadline = Date.now() + 120_000; ; ) {
    if (proc.exitCode !== null) throw new Error(`server exited during start (${proc.exitCode}):\n${out.slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`server not ready after 120 s:\n${out.slice(-2000)}`);
    const ok = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    if (ok) break;
    await sleep(100);
  }
  return { proc, base, agent: new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS }), exited, log: () => out };
}

async function stopServer(s: Server): Promise<void> {
  s.agent.destroy();
  s.proc.kill("SIGTERM");
  const code = await s.exited;
  if (code !== 0) console.warn(`  (server exited with ${code} on SIGTERM)`);
}

// ---------------------------------------------------------------- members and updates

interface Cell {
  dataDir: string;
  meetingId: number;
  chats: string[];
}

/** A fresh DATA_DIR with a cell of `members` linked on `channel` (chat ids `<prefix><i>`) and one upcoming meeting. */
async function seedCell(channel: "telegram" | "zalo", members: number, prefix: string, officer?: string): Promise<Cell> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-chaos-"));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent" });
  const store = await openStore(config);
  const cell = await ensureCell(store.prisma, { chiBo: "Chi bộ thử tải" });
  const now = sqliteTime(new Date());
  const member = store.sqlite.prepare(
    `INSERT INTO "Member" ("fullName", "key", "organizationId", "role", "status", "active", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, 'chinh_thuc', 1, ?, ?)`,
  );
  const identity = store.sqlite.prepare(`INSERT INTO "ChatIdentity" ("memberId", "channel", "platformUserId", "chatId", "linkedAt") VALUES (?, ?, ?, ?, ?)`);
  const chats: string[] = [];
  store.sqlite.transaction(() => {
    if (officer) {
      const r = member.run("Bí thư thử tải", "chaos:officer", cell.id, "bi_thu", now, now);
      identity.run(r.lastInsertRowid, channel, officer, officer, now);
    }
    for (let i = 0; i < members; i++) {
      const chat = `${prefix}${i}`;
      const r = member.run(`Đảng viên ${i}`, `chaos:${i}`, cell.id, "dang_vien", now, now);
      identity.run(r.lastInsertRowid, channel, chat, chat, now);
      chats.push(chat);
    }
  })();
  const meeting = await store.prisma.meeting.create({
    data: { organizationId: cell.id, startsAt: new Date(Date.now() + 7 * 86_400_000), location: "Hội trường", agenda: "Thử tải" },
  });
  await store.close();
  return { dataDir, meetingId: meeting.id, chats };
}

let nextUpdateId = 1;
function telegramText(chat: string, text: string, updateId = nextUpdateId++) {
  const id = Number(chat);
  return { update_id: updateId, message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id, type: "private" }, from: { id, is_bot: false, first_name: "Thử" }, text } };
}
function zaloText(chat: string, text: string, messageId = `zm${nextUpdateId++}`) {
  return { event_name: "message.text.received", message: { message_id: messageId, date: Date.now(), chat: { id: chat, chat_type: "PRIVATE" }, from: { id: chat, display_name: "Thử", is_bot: false }, text } };
}

/**
 * POSTs an update over the server's keep-alive connections: the status (0 when no answer
 * came: the connection was reset by a kill) and the milliseconds from the request being
 * on the wire to the answer (a wait for a free connection is the platform's queue, not counted).
 */
function postTimed(server: Server, channel: "telegram" | "zalo", body: unknown): Promise<{ status: number; ms: number }> {
  const payload = JSON.stringify(body);
  const secret: Record<string, string> = channel === "telegram" ? { "x-telegram-bot-api-secret-token": TG_SECRET } : { "x-bot-api-secret-token": ZALO_SECRET };
  return new Promise((resolve) => {
    let sent = performance.now();
    const req = http.request(
      `${server.base}/webhooks/${channel}`,
      { method: "POST", agent: server.agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload), ...secret } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - sent }));
        res.on("error", () => resolve({ status: 0, ms: performance.now() - sent }));
      },
    );
    req.on("finish", () => (sent = performance.now()));
    req.on("error", () => resolve({ status: 0, ms: performance.now() - sent }));
    req.end(payload);
  });
}

/** A GET over the server's keep-alive connections (to open them). */
function getOver(server: Server, route: string): Promise<number> {
  return new Promise((resolve) => {
    http
      .get(`${server.base}${route}`, { agent: server.agent }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      })
      .on("error", () => resolve(0));
  });
}

const post = async (server: Server, channel: "telegram" | "zalo", body: unknown) => (await postTimed(server, channel, body)).status;

/** Delivers again until acknowledged with 200, as a platform does (at most 2 minutes). */
async function redeliver(server: Server, channel: "telegram" | "zalo", body: unknown): Promise<boolean> {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(200)) {
    if ((await post(server, channel, body)) === 200) return true;
  }
  return false;
}

/** sendMessage calls per chat id. */
function messagesPerChat(api: FakeApi, from = 0, match: (text: string) => boolean = () => true): Map<string, number> {
  const per = new Map<string, number>();
  for (const c of api.all.slice(from)) {
    if (c.method !== "sendMessage" || !match(String(c.body.text))) continue;
    const chat = String(c.body.chat_id);
    per.set(chat, (per.get(chat) ?? 0) + 1);
  }
  return per;
}

async function waitUntil(done: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(50)) if (await done()) return true;
  return done();
}

function readDb<T>(dataDir: string, sql: string): T {
  const db = new Database(path.join(dataDir, "sotay.db"));
  try {
    return db.prepare(sql).get() as T;
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------- 1. kill -9 mid-burst

interface KillResult {
  acked: number;
  unacked: number;
  inFlightReplies: number;
  pendingUpdates: number;
  lost: number;
  duplicated: number;
}

async function killMidBurst(channel: "telegram" | "zalo", tg: FakeApi, zalo: FakeApi): Promise<KillResult> {
  const api = channel === "telegram" ? tg : zalo;
  const prefix = channel === "telegram" ? "7000" : "z-chaos-";
  const cell = await seedCell(channel, BURST, prefix);
  const port = await freePort();
  const env = serverEnv(cell.dataDir, port, tg, zalo);
  const from = api.all.length;
  let server = await startServer(env);

  const updates = cell.chats.map((chat) => (channel === "telegram" ? telegramText(chat, "có mặt") : zaloText(chat, "có mặt")));
  const acked = new Set<number>();
  let next = 0;
  let killed = false;
  const worker = async () => {
    while (next < updates.length && !killed) {
      const i = next++;
      const status = await post(server, channel, updates[i]);
      if (status === 200) acked.add(i);
      if (acked.size >= KILL_AFTER_ACKS && !killed) {
        killed = true;
        server.proc.kill("SIGKILL");
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  await server.exited;
  server.agent.destroy();
  const inFlightReplies = readDb<{ n: number }>(cell.dataDir, `SELECT count(*) AS n FROM "OutboxMessage" WHERE status = 'sending'`).n;
  const pendingUpdates = readDb<{ n: number }>(cell.dataDir, `SELECT count(*) AS n FROM "InboxUpdate" WHERE status = 'pending'`).n;

  server = await startServer(env);
  const unacked = updates.map((_, i) => i).filter((i) => !acked.has(i));
  await Promise.all(unacked.map((i) => redeliver(server, channel, updates[i])));
  const confirmation = (text: string) => text.includes(`#${cell.meetingId}`);
  const allIn = async () => {
    const recorded = readDb<{ n: number }>(cell.dataDir, `SELECT count(*) AS n FROM "Attendance"`).n;
    return recorded >= BURST && messagesPerChat(api, from, confirmation).size >= BURST;
  };
  await waitUntil(allIn, 60_000);
  await sleep(500); // a late duplicate would show up here
  await stopServer(server);

  const db = new Database(path.join(cell.dataDir, "sotay.db"));
  const recorded = new Set(
    (db.prepare(`SELECT i."chatId" AS chat FROM "Attendance" a JOIN "ChatIdentity" i ON i."memberId" = a."memberId" WHERE a."response" = 'present'`).all() as { chat: string }[]).map((r) => r.chat),
  );
  db.close();
  const received = messagesPerChat(api, from, confirmation);
  const lost = cell.chats.filter((c) => !recorded.has(c) || !received.has(c)).length;
  const duplicated = [...received.values()].filter((n) => n > 1).length;
  fs.rmSync(cell.dataDir, { recursive: true, force: true });
  return { acked: acked.size, unacked: unacked.length, inFlightReplies, pendingUpdates, lost, duplicated };
}

// ---------------------------------------------------------------- 2-4. one server: failed reply, 500 questions, locked database

interface SharedResult {
  meetings: number;
  extraMeetings: number;
  notices: number;
  extraNotices: number;
  hopReplies: number;
  ackP50: number;
  ackP99: number;
  questionsPerSecond: number;
  questionErrors: number;
  /** CPU ms per question answered: server main thread, server's other threads, this process (undefined without /proc). */
  cpuPerQuestion?: { main: number; others: number; bench: number };
  healthzWorst: number;
  healthzChecks: number;
  readyzDuringLock: number[];
  lockedUpdates: number;
  answered503: number;
  lockLost: number;
}

const QUESTIONS = [
  "đảng viên dự bị được bao lâu thì xét chuyển chính thức",
  "mức đóng đảng phí của đảng viên hưu trí là bao nhiêu",
  "thủ tục chuyển sinh hoạt đảng tạm thời như thế nào",
  "đảng viên được miễn sinh hoạt đảng trong trường hợp nào",
  "bao nhiêu tuổi thì được kết nạp vào đảng",
  "chi bộ sinh hoạt định kỳ mấy lần một tháng",
  "hình thức kỷ luật đối với đảng viên chính thức gồm những gì",
  "hồ sơ xét công nhận đảng viên chính thức gồm những gì",
];
const OPENINGS = ["Cho hỏi", "Xin hỏi", "Đồng chí cho hỏi", "Em muốn hỏi", "Nhờ bot cho biết", "Tôi muốn biết", "Hỏi chút", "Cho tôi hỏi"];
const ENDINGS = ["?", " ạ?", " vậy?", " nhỉ?", " thế nào?", " không?", " nhé?", " với?"];
/** 512 differently worded questions, so none is answered from the answer cache. */
const distinctQuestion = (i: number) => `${OPENINGS[i % 8]} ${QUESTIONS[Math.floor(i / 8) % 8]}${ENDINGS[Math.floor(i / 64) % 8]}`;

/** CPU time (ms) of a process's main thread and of all its threads, from /proc (Linux); undefined elsewhere. */
function threadCpuMs(pid: number): { main: number; all: number } | undefined {
  const ms = (stat: string) => {
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
  };
  try {
    return { main: ms(fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8")), all: ms(fs.readFileSync(`/proc/${pid}/stat`, "utf8")) };
  } catch {
    return undefined;
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function sharedServer(tg: FakeApi, zalo: FakeApi): Promise<SharedResult> {
  const officer = "6999";
  const cell = await seedCell("telegram", 50, "6000", officer);
  const port = await freePort();
  const server = await startServer(serverEnv(cell.dataDir, port, tg, zalo));

  // 2. A /hop whose reply fails, and whose update is delivered again.
  const hop = telegramText(officer, "/hop 2027-01-15 19:30 | Hội trường thử tải | Họp thử tải");
  const hopFrom = tg.all.length;
  tg.failNext("sendMessage", 502, { ok: false, error_code: 502, description: "Bad Gateway" }, (b) => String(b.text).includes("Đã lên lịch"));
  await redeliver(server, "telegram", hop);
  await redeliver(server, "telegram", hop);
  await waitUntil(() => (messagesPerChat(tg, hopFrom, (t) => t.includes("Đã lên lịch")).get(officer) ?? 0) >= 1, 30_000);
  await sleep(1500); // time for a second reply, were there one
  const meetings = readDb<{ n: number }>(cell.dataDir, `SELECT count(*) AS n FROM "Meeting" WHERE "agenda" = 'Họp thử tải'`).n;
  const notices = readDb<{ n: number }>(cell.dataDir, `SELECT count(*) AS n FROM "OutboxMessage" WHERE "dedupeKey" LIKE 'notice:%'`).n;
  const hopReplies = messagesPerChat(tg, hopFrom, (t) => t.includes("Đã lên lịch")).get(officer) ?? 0;

  // 3. 500 questions at once, over the 40 connections a platform keeps open (opened first:
  // a busy event loop accepts one new connection per turn, which platforms never make it do).
  await Promise.all(Array.from({ length: CONNECTIONS }, () => getOver(server, "/healthz")));
  const qFrom = tg.all.length;
  const chats = Array.from({ length: QUESTIONS_AT_ONCE }, (_, i) => String(8_000_000 + nextUpdateId + i));
  const serverCpu = threadCpuMs(server.proc.pid!);
  const benchCpu = process.cpuUsage();
  const started = performance.now();
  const acks = await Promise.all(chats.map((chat, i) => postTimed(server, "telegram", telegramText(chat, distinctQuestion(i)))));
  const wanted = new Set(chats);
  const answeredCount = () => [...messagesPerChat(tg, qFrom).keys()].filter((c) => wanted.has(c)).length;
  await waitUntil(() => answeredCount() >= acks.filter((a) => a.status === 200).length, 180_000);
  const answers = tg.all.slice(qFrom).filter((c) => c.method === "sendMessage" && wanted.has(String(c.body.chat_id)));
  const lastAnswer = Math.max(...answers.map((c) => c.at));
  const seconds = (lastAnswer - (performance.timeOrigin + started)) / 1000;
  const questionErrors = acks.filter((a) => a.status !== 200).length + (QUESTIONS_AT_ONCE - answeredCount());
  const serverCpuAfter = threadCpuMs(server.proc.pid!);
  const benchCpuUsed = process.cpuUsage(benchCpu);
  const cpuPerQuestion =
    serverCpu && serverCpuAfter && answers.length
      ? {
          main: (serverCpuAfter.main - serverCpu.main) / answers.length,
          others: (serverCpuAfter.all - serverCpu.all - (serverCpuAfter.main - serverCpu.main)) / answers.length,
          bench: (benchCpuUsed.user + benchCpuUsed.system) / 1000 / answers.length,
        }
      : undefined;

  // 4. The database locked by another process for 8 s.
  let probing = true;
  const healthz: number[] = [];
  const prober = (async () => {
    while (probing) {
      const t0 = performance.now();
      await fetch(`${server.base}/healthz`).then((r) => r.arrayBuffer(), () => undefined); // its own connection, as a monitor's
      healthz.push(performance.now() - t0);
      await sleep(25);
    }
  })();
  await sleep(300);
  const locker = spawn(process.execPath, ["--import", "tsx", SELF, "--lock", path.join(cell.dataDir, "sotay.db"), "--seconds", String(LOCK_SECONDS)], {
    cwd: PROJECT_ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve) => locker.stdout!.on("data", (d: Buffer) => d.toString().includes("locked") && resolve()));
  const lockedFrom = tg.all.length;
  const lockChats = Array.from({ length: 50 }, (_, i) => String(9_000_000 + nextUpdateId + i));
  const lockUpdates = lockChats.map((chat) => telegramText(chat, "/start"));
  // The updates arrive spread over the first 60% of the lock, each on its own connection.
  const gap = (LOCK_SECONDS * 1000 * 0.6) / lockUpdates.length;
  const readyz: Promise<number>[] = [];
  const tries: Promise<number>[] = [];
  for (let i = 0; i < lockUpdates.length; i++) {
    tries.push(post(server, "telegram", lockUpdates[i]));
    if (i % 10 === 5) readyz.push(fetch(`${server.base}/readyz`).then((r) => r.status, () => 0));
    await sleep(gap);
  }
  const firstTry = await Promise.all(tries);
  await new Promise((r) => locker.once("exit", r));
  // The platform delivers again what was not acknowledged with 200.
  await Promise.all(lockUpdates.map((u, i) => (firstTry[i] === 200 ? Promise.resolve(true) : redeliver(server, "telegram", u))));
  const lockSet = new Set(lockChats);
  const lockAnswered = () => [...messagesPerChat(tg, lockedFrom).keys()].filter((c) => lockSet.has(c)).length;
  await waitUntil(() => lockAnswered() >= lockChats.length, 60_000);
  probing = false;
  await prober;
  await stopServer(server);
  fs.rmSync(cell.dataDir, { recursive: true, force: true });

  return {
    meetings,
    extraMeetings: Math.max(0, meetings - 1),
    notices,
    extraNotices: Math.max(0, notices - 51),
    hopReplies,
    ackP50: percentile(acks.map((a) => a.ms), 50),
    ackP99: percentile(acks.map((a) => a.ms), 99),
    questionsPerSecond: answers.length / seconds,
    questionErrors,
    ...(cpuPerQuestion ? { cpuPerQuestion } : {}),
    healthzWorst: Math.max(...healthz),
    healthzChecks: healthz.length,
    readyzDuringLock: await Promise.all(readyz),
    lockedUpdates: lockUpdates.length,
    answered503: firstTry.filter((s) => s === 503).length,
    lockLost: lockChats.length - lockAnswered(),
  };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const runs = Number(flag("runs") ?? 5);
  const tg = await startFakeApi("telegram");
  const zalo = await startFakeApi("zalo");
  console.log(`Chaos benchmark: ${runs} run(s); server = bot/main.ts in a child process; fake Telegram and Zalo APIs on loopback.`);
  console.log(`Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), load average ${os.loadavg()[0]!.toFixed(1)}.\n`);
  const total = { lost: 0, duplicated: 0, extraMeetings: 0, extraNotices: 0, ackP99: 0, qps: Infinity, healthz: 0 };
  try {
    for (let run = 1; run <= runs; run++) {
      for (const channel of ["telegram", "zalo"] as const) {
        const k = await killMidBurst(channel, tg, zalo);
        console.log(
          `[run ${run}] kill -9 mid-burst, ${channel.padEnd(8)}: ${BURST} updates, ${k.acked} acknowledged before the kill, ${k.unacked} redelivered after the restart; ` +
            `left in the inbox ${k.pendingUpdates}, replies in flight ${k.inFlightReplies}; lost ${k.lost}, duplicated ${k.duplicated}`,
        );
        total.lost += k.lost;
        total.duplicated += k.duplicated;
      }
      const s = await sharedServer(tg, zalo);
      console.log(
        `[run ${run}] failed /hop reply + redelivery: meetings ${s.meetings} (duplicates ${s.extraMeetings}), notices queued ${s.notices} for 51 members (duplicates ${s.extraNotices}), /hop reply delivered ${s.hopReplies}×`,
      );
      console.log(
        `[run ${run}] ${QUESTIONS_AT_ONCE} questions at once: ack p50 ${s.ackP50.toFixed(0)} ms, p99 ${s.ackP99.toFixed(0)} ms; ${s.questionsPerSecond.toFixed(1)} questions answered/s; errors ${s.questionErrors}`,
      );
      if (s.cpuPerQuestion) {
        const c = s.cpuPerQuestion;
        console.log(
          `[run ${run}]   CPU per question: server main thread ${c.main.toFixed(1)} ms, its other threads (search, GC, compiler) ${c.others.toFixed(1)} ms, this process (client, fake APIs) ${c.bench.toFixed(1)} ms; ` +
            `so ${os.cpus().length} idle cores could answer at most ${((os.cpus().length * 1000) / (c.main + c.others + c.bench)).toFixed(0)}/s`,
        );
      }
      console.log(
        `[run ${run}] database locked ${LOCK_SECONDS} s: /healthz worst ${s.healthzWorst.toFixed(0)} ms over ${s.healthzChecks} checks; /readyz during the lock ${s.readyzDuringLock.join(",")}; ` +
          `${s.lockedUpdates} updates, ${s.answered503} answered 503 and delivered again; lost ${s.lockLost}`,
      );
      total.lost += s.lockLost;
      total.extraMeetings += s.extraMeetings;
      total.extraNotices += s.extraNotices;
      total.ackP99 = Math.max(total.ackP99, s.ackP99);
      total.qps = Math.min(total.qps, s.questionsPerSecond);
      total.healthz = Math.max(total.healthz, s.healthzWorst);
    }
  } finally {
    await tg.close();
    await zalo.close();
  }
  console.log(`\nduplicate notices over all runs: ${total.extraNotices}`);
  console.log(
    `chaos: runs=${runs} lost=${total.lost} duplicated=${total.duplicated} duplicate_meetings=${total.extraMeetings} ack_p99_ms=${total.ackP99.toFixed(0)} questions_per_s=${total.qps.toFixed(0)} healthz_worst_ms=${total.healthz.toFixed(0)}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
