/**
 * Cluster benchmark (issue 12): 2 and 3 real server instances (`bot/main.ts` child processes,
 * each with its own DATA_DIR and port) on one PostgreSQL database, against a local fake
 * Telegram Bot API (test/channels/support/fake-api.ts) that enforces Telegram's limits (429 +
 * retry_after beyond `--rate`/s overall or 1/s per chat) and records when each call came.
 *
 * 1. Broadcast: a meeting notice to `--members` members (10,000), queued in the shared outbox
 *    by this process (scheduleMeeting, as bench/broadcast.ts), with 2 and then 3 instances
 *    delivering. Per calendar second, the fake API counts the sendMessage calls it accepted and
 *    the ones it refused with 429: the peak ratio is the most calls the cluster made in one
 *    second (accepted + refused) over the limit (never above 1.00: the cluster's one budget),
 *    the mean ratio the accepted calls per steady second (all but the first and last second)
 *    over the limit (target ≥ 0.95). Duplicated: notices delivered to a chat more than once;
 *    lost: members who got none.
 * 2. The same with 3 instances, one killed (kill -9) once half the notices are delivered, at a
 *    moment when it has requests in flight: the fake API answers `--kill-latency-ms` (200) after a
 *    call arrives, as a distant API does, so the killed instance leaves rows "sending" whose
 *    messages the platform may already have. The other two must take them over (after its lease)
 *    and finish. Duplicates are compared with those rows (re-sending them is the price of losing
 *    none: the platform cannot say whether it got them); the takeover time is printed.
 * 3. Webhook question-updates/s: 3 instances on PostgreSQL with the load spread round-robin
 *    over them, against one instance on SQLite, with the same client (`--connections`
 *    keep-alive connections in all, `--seconds` each; 8 questions in rotation, so the answer
 *    cache is on, as bench:webhook's first line). Rate = answers sent / time to the last answer.
 *    The instances' send budget is `--webhook-rate` (default 1,000/s: one budget row per message a second): on PostgreSQL replies take
 *    slots of the cluster's one budget, so Telegram's 30/s would cap the answers at 30/s.
 * 4. ingest_visible_s: a new small document is ingested with the ingest CLI on instance 1's
 *    DATA_DIR and the shared DATABASE_URL; then instance 2's web chat is asked a question only
 *    that document answers, every 250 ms, until it answers from it (timed from the end of the
 *    ingest command; the ingest's own time is printed too).
 *
 * PostgreSQL: a throwaway server started here (test/support/postgresql.ts: initdb in a temp
 * folder, as the postgres user when root, a free port; removed afterwards), or the server of
 * `--database-url` (a URL whose user may CREATE DATABASE: each part gets its own database,
 * bench_cluster_<pid>_<part>, dropped afterwards).
 *
 * The last line sums up for scripts (the 3-instance runs: sent = notices delivered without the
 * kill; lost and duplicated over both 3-instance runs; peak over both; mean without the kill):
 *   cluster: instances=3 sent=10000 lost=0 duplicated=0 peak_rate_ratio=<n> mean_rate_ratio=<n> ingest_visible_s=<n>
 *
 *   npm run bench:cluster                      # 10,000 members (~6 min per broadcast run), ~25 min in all
 *   npm run bench:cluster -- --quick           # 1,000 members, 5 s webhook runs
 *   npm run bench:cluster -- --database-url postgresql://postgres@127.0.0.1:5432/postgres
 *   npm run bench:cluster -- --only broadcast  # or: kill, webhook (includes the ingest)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { loadConfig, PROJECT_ROOT } from "../core/config.js";
import { openStore } from "../core/db/store.js";
import { redactUrl } from "../core/db/engine.js";
import { ensureCell } from "../core/members/organizations.js";
import { scheduleMeeting } from "../core/meetings/service.js";
import { startFakeApi, type FakeApi } from "../test/channels/support/fake-api.js";
import { freePort } from "../test/support/free-port.js";
import { createDatabase, dropDatabase, startTestPostgresql } from "../test/support/postgresql.js";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const QUICK = process.argv.includes("--quick");
const MEMBERS = Number(flag("members") ?? (QUICK ? 1_000 : 10_000));
const RATE = Number(flag("rate") ?? 30);
const SECONDS = Number(flag("seconds") ?? (QUICK ? 5 : 10));
const CONNECTIONS = Number(flag("connections") ?? 32);
/** A broadcast that delivers nothing new for this long is over (rows left are counted lost). */
const STALL_SECONDS = Number(flag("stall-seconds") ?? 120);
const ONLY = flag("only");
/**
 * The send budget of the webhook part. On PostgreSQL a reply takes a slot of the cluster's budget
 * (on SQLite it is counted but not held back), so with Telegram's 30/s the cluster could answer at
 * most 30 questions/s whatever its capacity: the webhook part measures the servers, the broadcast
 * part the budget. `--webhook-rate 30` shows the capped figure.
 */
const WEBHOOK_RATE = Number(flag("webhook-rate") ?? 1_000);
/** The fake API's response time in the kill run (ms): without one, a send is over in a millisecond and a kill rarely finds one in flight. */
const KILL_LATENCY_MS = Number(flag("kill-latency-ms") ?? 200);
const TOKEN = "100:CLUSTER-bench";
const SECRET = "cluster-bench-secret";
const NOTICE = "THÔNG BÁO SINH HOẠT";

// ---------------------------------------------------------------- PostgreSQL

interface Postgresql {
  description: string;
  /** A new, empty database's URL. */
  database(part: string): Promise<string>;
  close(): Promise<void>;
}

async function postgresql(): Promise<Postgresql> {
  const given = flag("database-url");
  const created: string[] = [];
  if (given) {
    return {
      description: `the server of --database-url ${redactUrl(given)}`,
      async database(part) {
        const name = `bench_cluster_${process.pid}_${part}`;
        created.push(name);
        return createDatabase(given, name);
      },
      async close() {
        for (const name of created) await dropDatabase(given, name).catch((err: Error) => console.warn(`could not drop ${name}: ${err.message}`));
      },
    };
  }
  const server = await startTestPostgresql();
  return {
    description: `a throwaway PostgreSQL on 127.0.0.1:${server.port} (${server.dir})`,
    database: (part) => createDatabase(server.url, part),
    close: () => server.stop(),
  };
}

// ---------------------------------------------------------------- server instances

interface Instance {
  index: number;
  proc: ChildProcess;
  base: string;
  dataDir: string;
  agent: http.Agent;
  exited: Promise<number | null>;
  log: () => string;
}

const children = new Set<ChildProcess>();
process.on("exit", () => {
  for (const c of children) c.kill("SIGKILL");
});

interface InstanceOptions {
  databaseUrl?: string;
  api: FakeApi;
  /** Ingest the sample handbook into an empty knowledge base (the webhook and ingest parts need answers). */
  knowledge: boolean;
  /** TELEGRAM_RATE_PER_SECOND of the instances (default: the broadcast limit, `--rate`). */
  rate?: number;
}

/** Starts bot/main.ts (node itself, not the tsx wrapper, so a kill reaches the server) and waits for /readyz. */
async function startInstance(index: number, options: InstanceOptions): Promise<Instance> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `sotay-cluster-${index}-`));
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    DATA_DIR: dataDir,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    HOST: "127.0.0.1",
    PORT: String(port),
    LOG_LEVEL: "warn",
    AUTO_INGEST_SAMPLE: String(options.knowledge),
    WEB_CHAT_ENABLED: "true",
    QUESTIONS_PER_MINUTE: "100000",
    ...(process.env.SEARCH_THREADS ? { SEARCH_THREADS: process.env.SEARCH_THREADS } : {}),
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_MODE: "webhook",
    TELEGRAM_API_ROOT: options.api.url,
    TELEGRAM_RATE_PER_SECOND: String(options.rate ?? RATE),
    TELEGRAM_RATE_PER_CHAT_PER_SECOND: "1",
  };
  const proc = spawn(process.execPath, ["--import", "tsx", "bot/main.ts"], { cwd: PROJECT_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(proc);
  let out = "";
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
  proc.stdout!.on("data", keep);
  proc.stderr!.on("data", keep);
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => (children.delete(proc), resolve(code))));
  const base = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 180_000; ; await sleep(200)) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`instance ${index} exited during start (${proc.exitCode ?? proc.signalCode}):\n${out.slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`instance ${index} not ready after 180 s:\n${out.slice(-3000)}`);
    if (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) break;
  }
  return { index, proc, base, dataDir, agent: new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS }), exited, log: () => out };
}

/** The first instance alone (it migrates and stores the sample handbook once), then the others together. */
async function startCluster(n: number, options: InstanceOptions): Promise<Instance[]> {
  const first = await startInstance(1, options);
  const rest = await Promise.all(Array.from({ length: n - 1 }, (_, i) => startInstance(i + 2, options)));
  return [first, ...rest];
}

async function stopInstance(instance: Instance): Promise<void> {
  instance.agent.destroy();
  if (instance.proc.exitCode === null && instance.proc.signalCode === null) {
    instance.proc.kill("SIGTERM");
    const code = await Promise.race([instance.exited, sleep(30_000).then(() => "timeout" as const)]);
    if (code === "timeout") {
      console.warn(`  (instance ${instance.index} still running 30 s after SIGTERM: killed)`);
      instance.proc.kill("SIGKILL");
      await instance.exited;
    } else if (code !== 0) console.warn(`  (instance ${instance.index} exited with ${code} on SIGTERM)\n${instance.log().slice(-1500)}`);
  }
  fs.rmSync(instance.dataDir, { recursive: true, force: true });
}

// ---------------------------------------------------------------- 1-2. broadcast

interface RateFigures {
  seconds: number;
  /** Most sendMessage calls (accepted + refused) in one calendar second, over the limit. */
  peakAttemptRatio: number;
  /** Most accepted in one second over the limit (≤ 1 by the fake's enforcement). */
  peakSentRatio: number;
  /** Accepted per steady second (all but the first and the last) over the limit. */
  meanRatio: number;
  refused429: number;
}

function rateFigures(api: FakeApi): RateFigures {
  const accepted = api.all.filter((c) => c.method === "sendMessage").map((c) => c.at);
  const refused = api.refused.filter((r) => r.method === "sendMessage" && r.status === 429).map((r) => r.at);
  const perSecond = (times: number[]) => {
    const m = new Map<number, number>();
    for (const t of times) m.set(Math.floor(t / 1000), (m.get(Math.floor(t / 1000)) ?? 0) + 1);
    return m;
  };
  const sent = perSecond(accepted);
  const tried = perSecond([...accepted, ...refused]);
  if (sent.size === 0) return { seconds: 0, peakAttemptRatio: 0, peakSentRatio: 0, meanRatio: 0, refused429: refused.length };
  const first = Math.min(...sent.keys());
  const last = Math.max(...sent.keys());
  const steady: number[] = [];
  for (let s = first + 1; s < last; s++) steady.push(sent.get(s) ?? 0);
  const mean = steady.length ? steady.reduce((a, b) => a + b, 0) / steady.length : (sent.get(first) ?? 0);
  return {
    seconds: last - first + 1,
    peakAttemptRatio: Math.max(...tried.values()) / RATE,
    peakSentRatio: Math.max(...sent.values()) / RATE,
    meanRatio: mean / RATE,
    refused429: refused.length,
  };
}

interface BroadcastResult extends RateFigures {
  label: string;
  instances: number;
  delivered: number;
  lost: number;
  duplicated: number;
  stalled: boolean;
  inFlightAtKill?: number;
  deliveredAtKill?: number;
  /** Seconds from the kill until none of the killed instance's rows was left "sending". */
  takeoverSeconds?: number;
  wallSeconds: number;
}

/** A fresh database with one cell of `members` members linked on Telegram (chat ids 1000000 + i). */
async function seedMembers(databaseUrl: string, members: number): Promise<number> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-cluster-seed-"));
  const store = await openStore(loadConfig({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: "silent" }));
  try {
    if (store.engine !== "postgresql") throw new Error("the cluster benchmark needs a PostgreSQL store");
    const cell = await ensureCell(store.prisma, { chiBo: "Chi bộ benchmark cụm" });
    // One statement for all members and their chat accounts (Prisma DateTime: UTC timestamps).
    await store.pg.query(
      `WITH m AS (
         INSERT INTO "Member" ("fullName", "key", "organizationId", "role", "status", "active", "createdAt", "updatedAt")
         SELECT 'Đảng viên ' || i, 'bench:' || i, $1, 'dang_vien', 'chinh_thuc', true, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
         FROM generate_series(0, $2::int - 1) AS i
         RETURNING "id", "key")
       INSERT INTO "ChatIdentity" ("memberId", "channel", "platformUserId", "chatId", "linkedAt")
       SELECT "id", 'telegram', (1000000 + substr("key", 7)::int)::text, (1000000 + substr("key", 7)::int)::text, now() AT TIME ZONE 'UTC' FROM m`,
      [cell.id, members],
    );
    return cell.id;
  } finally {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Queues the meeting notice to every member of the cell in the shared outbox; returns the seconds it took. */
async function queueNotice(databaseUrl: string, cellId: number): Promise<number> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-cluster-queue-"));
  const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: "silent" });
  const store = await openStore(config);
  try {
    const t0 = performance.now();
    await scheduleMeeting(
      { prisma: store.prisma, config, clock: () => new Date() },
      { organizationId: cellId, startsAt: new Date(Date.now() + 7 * 86_400_000), location: "Hội trường", agenda: "Benchmark cụm máy chủ" },
    );
    return (performance.now() - t0) / 1000;
  } finally {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Outbox rows "sending" under the claim of the instance whose server process is `pid`: its requests in flight. */
async function sendingClaimedBy(client: pg.Client, pid: number): Promise<number> {
  const r = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM "OutboxMessage" o JOIN "ServerInstance" s ON o."claimedBy" = s."id" WHERE s."pid" = $1 AND o."status" = 'sending'`,
    [pid],
  );
  return Number(r.rows[0]!.n);
}

/** Kills (-9) the instance at a moment when it has rows in flight (waiting up to 10 s for one); returns how many it left. */
async function killInFlight(client: pg.Client, instance: Instance): Promise<number> {
  for (const until = Date.now() + 10_000; Date.now() < until; await sleep(5)) {
    if ((await sendingClaimedBy(client, instance.proc.pid!)) > 0) break;
  }
  instance.proc.kill("SIGKILL");
  await instance.exited;
  return sendingClaimedBy(client, instance.proc.pid!);
}

/** Notices accepted by the fake API, per chat. */
function noticesPerChat(api: FakeApi): Map<string, number> {
  const per = new Map<string, number>();
  for (const c of api.all) {
    if (c.method !== "sendMessage" || !String(c.body.text).includes(NOTICE)) continue;
    const chat = String(c.body.chat_id);
    per.set(chat, (per.get(chat) ?? 0) + 1);
  }
  return per;
}

async function broadcastRun(db: Postgresql, instances: number, kill: boolean): Promise<BroadcastResult> {
  const label = `${instances} instances${kill ? ", one killed (kill -9) halfway" : ""}`;
  const databaseUrl = await db.database(`broadcast_${instances}${kill ? "_kill" : ""}`);
  const api = await startFakeApi("telegram", { limits: { perSecond: RATE, perChatPerSecond: 1, retryAfter: 1 }, responseDelayMs: kill ? KILL_LATENCY_MS : 0 });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let cluster: Instance[] = [];
  try {
    const cellId = await seedMembers(databaseUrl, MEMBERS);
    cluster = await startCluster(instances, { databaseUrl, api, knowledge: false });
    const queueSeconds = await queueNotice(databaseUrl, cellId);
    const started = performance.now();
    console.log(`[${label}] ${instances} instances ready; notice queued for ${MEMBERS} members in ${queueSeconds.toFixed(1)} s; delivering...`);
    let inFlightAtKill: number | undefined;
    let deliveredAtKill: number | undefined;
    let killedAt: number | undefined;
    let takeoverSeconds: number | undefined;
    let lastCount = 0;
    let lastProgress = Date.now();
    let stalled = false;
    for (;;) {
      await sleep(200);
      const delivered = noticesPerChat(api).size;
      if (api.all.length !== lastCount) (lastCount = api.all.length), (lastProgress = Date.now());
      if (kill && deliveredAtKill === undefined && delivered >= MEMBERS / 2) {
        inFlightAtKill = await killInFlight(client, cluster[0]!);
        killedAt = performance.now();
        deliveredAtKill = noticesPerChat(api).size;
        console.log(`[${label}] instance 1 killed after ${deliveredAtKill} notices, with ${inFlightAtKill} outbox rows in flight ("sending" under its claim)`);
      } else if (killedAt !== undefined && takeoverSeconds === undefined && (await sendingClaimedBy(client, cluster[0]!.proc.pid!)) === 0) {
        takeoverSeconds = (performance.now() - killedAt) / 1000;
        console.log(`[${label}] its rows taken over by the others ${takeoverSeconds.toFixed(1)} s after the kill`);
      }
      if (delivered >= MEMBERS) break;
      for (const i of cluster) {
        if (i.proc.exitCode !== null && !(kill && i.index === 1)) throw new Error(`instance ${i.index} exited (${i.proc.exitCode}):\n${i.log().slice(-3000)}`);
      }
      if (Date.now() - lastProgress > STALL_SECONDS * 1000) {
        stalled = true;
        console.log(`[${label}] nothing sent for ${STALL_SECONDS} s with ${MEMBERS - delivered} notices undelivered: stopping`);
        break;
      }
    }
    const wallSeconds = (performance.now() - started) / 1000;
    await sleep(2000); // a late duplicate would show up here
    const per = noticesPerChat(api);
    const chats = Array.from({ length: MEMBERS }, (_, i) => String(1_000_000 + i));
    return {
      label,
      instances,
      delivered: [...per.values()].reduce((a, b) => a + b, 0),
      lost: chats.filter((c) => !per.has(c)).length,
      duplicated: [...per.values()].reduce((n, c) => n + c - 1, 0),
      stalled,
      inFlightAtKill,
      deliveredAtKill,
      takeoverSeconds,
      wallSeconds,
      ...rateFigures(api),
    };
  } finally {
    await Promise.all(cluster.map(stopInstance));
    await client.end();
    await api.close();
  }
}

function reportBroadcast(r: BroadcastResult): void {
  console.log(`\n== broadcast, ${r.label} ==`);
  console.log(`members                   ${MEMBERS}`);
  console.log(`notices delivered         ${r.delivered} in ${r.wallSeconds.toFixed(1)} s${r.stalled ? " (STALLED: stopped waiting)" : ""}`);
  console.log(`peak per second           ${(r.peakAttemptRatio * RATE).toFixed(0)} calls (accepted + 429) = ${r.peakAttemptRatio.toFixed(2)} × the ${RATE}/s limit (target ≤ 1.00); accepted ${r.peakSentRatio.toFixed(2)} ×`);
  console.log(`mean per steady second    ${(r.meanRatio * RATE).toFixed(1)} accepted = ${r.meanRatio.toFixed(2)} × the limit (target ≥ 0.95), over ${Math.max(0, r.seconds - 2)} s`);
  console.log(`429 responses             ${r.refused429}`);
  console.log(`lost                      ${r.lost} (target 0)`);
  console.log(`duplicated                ${r.duplicated}${r.inFlightAtKill !== undefined ? ` (target 0, at most the rows in flight at the kill: ${r.inFlightAtKill})` : " (target 0)"}`);
  if (r.inFlightAtKill !== undefined) {
    console.log(`api response time         ${KILL_LATENCY_MS} ms (slots are held a window after each response, so the rate reads lower)`);
    console.log(`taken over after          ${r.takeoverSeconds !== undefined ? `${r.takeoverSeconds.toFixed(1)} s (the lease is 15 s)` : "never (rows still claimed by the dead instance)"}`);
  }
}

// ---------------------------------------------------------------- 3. webhook question-updates/s

const QUESTIONS = [
  "Đảng viên dự bị được bao lâu thì xét chuyển chính thức?",
  "Mức đóng đảng phí của đảng viên hưu trí là bao nhiêu?",
  "Thủ tục chuyển sinh hoạt đảng tạm thời như thế nào?",
  "Đảng viên được miễn sinh hoạt đảng trong trường hợp nào?",
  "Bao nhiêu tuổi thì được kết nạp vào Đảng?",
  "Chi bộ sinh hoạt định kỳ mấy lần một tháng?",
  "Hình thức kỷ luật đối với đảng viên chính thức gồm những gì?",
  "Hồ sơ xét công nhận đảng viên chính thức gồm những gì?",
];

let nextUpdateId = 1;
function questionUpdate(): string {
  const id = nextUpdateId++;
  // 20,000 distinct users, as bench:webhook.
  const user = 1_000_000 + (id % 20_000);
  return JSON.stringify({
    update_id: id,
    message: { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: user, type: "private", first_name: "Bench" }, from: { id: user, is_bot: false, first_name: "Bench" }, text: QUESTIONS[id % QUESTIONS.length] },
  });
}

/** POSTs an update over the instance's keep-alive connections: status (0: no answer) and ms on the wire. */
function postUpdate(instance: Instance, payload: string): Promise<{ status: number; ms: number }> {
  return new Promise((resolve) => {
    let sent = performance.now();
    const req = http.request(
      `${instance.base}/webhooks/telegram`,
      { method: "POST", agent: instance.agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload), "x-telegram-bot-api-secret-token": SECRET } },
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

interface WebhookResult {
  label: string;
  posted: number;
  acked: number;
  answered: number;
  errors: number;
  /** Statuses other than 200, e.g. { "503": 12, "0": 1 } (0: no answer). */
  errorStatuses: Record<string, number>;
  ackP50: number;
  ackP99: number;
  seconds: number;
  rate: number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** `CONNECTIONS` clients post for `SECONDS`, each update to the next instance in turn; then the answers are awaited. */
async function webhookLoad(label: string, cluster: Instance[], api: FakeApi): Promise<WebhookResult> {
  let turn = 0;
  const next = () => cluster[turn++ % cluster.length]!;
  // Warm-up: the first updates load the bot's info and warm the caches of every instance.
  const warmFrom = api.all.length;
  await Promise.all(Array.from({ length: 4 * cluster.length }, async () => {
    for (let k = 0; k < 10; k++) await postUpdate(next(), questionUpdate());
  }));
  const answeredSince = (from: number) => api.all.slice(from).filter((c) => c.method === "sendMessage");
  for (const deadline = Date.now() + 60_000; Date.now() < deadline && answeredSince(warmFrom).length < 40 * cluster.length; ) await sleep(50);
  const from = api.all.length;
  const started = Date.now();
  const acks: { status: number; ms: number }[] = [];
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() - started < SECONDS * 1000) acks.push(await postUpdate(next(), questionUpdate()));
    }),
  );
  const acked = acks.filter((a) => a.status === 200).length;
  for (const deadline = Date.now() + 180_000; answeredSince(from).length < acked && Date.now() < deadline; ) await sleep(50);
  const answers = answeredSince(from);
  const last = Math.max(started, ...answers.map((c) => c.at));
  const seconds = Math.max((last - started) / 1000, SECONDS);
  return {
    label,
    posted: acks.length,
    acked,
    answered: answers.length,
    errors: acks.length - acked,
    errorStatuses: acks.filter((a) => a.status !== 200).reduce<Record<string, number>>((m, a) => ((m[a.status] = (m[a.status] ?? 0) + 1), m), {}),
    ackP50: percentile(acks.map((a) => a.ms), 50),
    ackP99: percentile(acks.map((a) => a.ms), 99),
    seconds,
    rate: answers.length / seconds,
  };
}

function reportWebhook(r: WebhookResult): void {
  console.log(
    `${r.label.padEnd(40)} ${r.rate.toFixed(0).padStart(5)} question-updates/s   ack p50 ${r.ackP50.toFixed(0)} ms, p99 ${r.ackP99.toFixed(0)} ms; ` +
      `posted ${r.posted}, 200 ${r.acked}, errors ${r.errors}${r.errors ? ` (${Object.entries(r.errorStatuses).map(([s, n]) => `${s === "0" ? "no answer" : s} ×${n}`).join(", ")})` : ""}, answered ${r.answered}${r.answered < r.acked ? ` (${r.acked - r.answered} NOT answered)` : ""}; last answer ${r.seconds.toFixed(1)} s after the start`,
  );
}

// ---------------------------------------------------------------- 4. ingest on instance 1, answered by instance 2

const NEW_DOCUMENT = {
  file: "quy-che-ngay-hoi-cay-xanh.md",
  text: `# Quy chế ngày hội cây xanh của chi bộ (tài liệu thử nghiệm của benchmark)

## Điều 1. Thời gian tổ chức

Ngày hội trồng cây xanh của chi bộ được tổ chức hằng năm vào ngày 15 tháng 3. Mỗi đảng viên trồng và chăm sóc ít nhất ba cây phượng vĩ tại khu dân cư nơi cư trú.

## Điều 2. Trách nhiệm

Bí thư chi bộ phân công đảng viên theo từng tổ và báo cáo kết quả ngày hội trồng cây xanh với đảng ủy cấp trên.
`,
  question: "Ngày hội trồng cây xanh của chi bộ tổ chức vào ngày nào?",
  /** What only an answer from the new document contains. */
  answered: (reply: string) => reply.includes("15 tháng 3") || reply.includes("Quy chế ngày hội cây xanh"),
};

async function askWeb(instance: Instance, text: string): Promise<string> {
  const res = await fetch(`${instance.base}/api/chat`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sessionId: `bench-${randomBytes(8).toString("hex")}`, text }),
  });
  if (!res.ok) return `HTTP ${res.status}`;
  const body = (await res.json()) as { replies: { text: string; choices?: { label?: string }[] }[] };
  return body.replies.map((r) => [r.text, ...(r.choices ?? []).map((c) => c.label ?? "")].join("\n")).join("\n");
}

interface IngestResult {
  ingestSeconds: number;
  /** From the end of the ingest command until instance 2 answered from the document; null: never within the wait. */
  visibleSeconds: number | null;
  answeredBefore: boolean;
  instance1Answers: boolean;
  reply: string;
}

async function ingestVisible(cluster: Instance[], databaseUrl: string, waitSeconds = 120): Promise<IngestResult> {
  const [one, two] = [cluster[0]!, cluster[1]!];
  const answeredBefore = NEW_DOCUMENT.answered(await askWeb(two, NEW_DOCUMENT.question));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-cluster-doc-"));
  fs.writeFileSync(path.join(dir, NEW_DOCUMENT.file), NEW_DOCUMENT.text);
  try {
    const t0 = performance.now();
    const cli = spawn(process.execPath, ["--import", "tsx", "ingest/cli.ts", path.join(dir, NEW_DOCUMENT.file)], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATA_DIR: one.dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    cli.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    cli.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => cli.on("exit", resolve));
    if (code !== 0) throw new Error(`ingest CLI exited with ${code}:\n${out.slice(-2000)}`);
    const ingested = performance.now();
    let reply = "";
    let visibleSeconds: number | null = null;
    for (const deadline = Date.now() + waitSeconds * 1000; Date.now() < deadline; await sleep(250)) {
      reply = await askWeb(two, NEW_DOCUMENT.question);
      if (NEW_DOCUMENT.answered(reply)) {
        visibleSeconds = (performance.now() - ingested) / 1000;
        break;
      }
    }
    const instance1Answers = NEW_DOCUMENT.answered(await askWeb(one, NEW_DOCUMENT.question));
    return { ingestSeconds: (ingested - t0) / 1000, visibleSeconds, answeredBefore, instance1Answers, reply };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- main

/** The gist of an error: Prisma's carry the query's whole source; its last lines say what went wrong. */
function gist(err: unknown): string {
  const lines = String((err as Error)?.message ?? err).split("\n").map((l) => l.trim()).filter(Boolean);
  const at = (err as Error)?.stack?.split("\n").find((l) => l.includes(PROJECT_ROOT) && !l.includes("node_modules") && !l.includes("bench/cluster.ts"))?.trim();
  const said = lines.filter((l) => l.length < 300).pop() ?? lines.pop()?.slice(0, 300) ?? "";
  return `${said}${at ? ` (${at.replace(PROJECT_ROOT + "/", "")})` : ""}`;
}

async function main(): Promise<void> {
  const wanted = (part: string) => !ONLY || ONLY === part;
  console.log(`Cluster benchmark: ${MEMBERS} members, limit ${RATE} msg/s overall and 1 msg/s per chat (the fake Bot API enforces both and counts per second).`);
  console.log(`Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), load average ${os.loadavg()[0]!.toFixed(1)}.`);
  const db = await postgresql();
  console.log(`PostgreSQL: ${db.description}.\n`);
  const broadcasts: BroadcastResult[] = [];
  const failed: string[] = [];
  /** Runs one part; a failure is reported and the next part runs. */
  const part = async (name: string, run: () => Promise<void>) => {
    try {
      await run();
    } catch (err) {
      console.log(`\n!! ${name} FAILED: ${gist(err)}`);
      failed.push(name);
    }
  };
  let ingest: IngestResult | undefined;
  try {
    if (wanted("broadcast")) {
      for (const n of [2, 3]) {
        await part(`broadcast, ${n} instances`, async () => {
          const r = await broadcastRun(db, n, false);
          reportBroadcast(r);
          broadcasts.push(r);
        });
      }
    }
    if (wanted("kill")) {
      await part("broadcast, 3 instances, one killed", async () => {
        const r = await broadcastRun(db, 3, true);
        reportBroadcast(r);
        broadcasts.push(r);
      });
    }
    if (wanted("webhook")) {
      const api = await startFakeApi("telegram");
      await part("webhook and ingest on 3 instances (PostgreSQL)", async () => {
        const databaseUrl = await db.database("webhook");
        let cluster: Instance[] = [];
        try {
          cluster = await startCluster(3, { databaseUrl, api, knowledge: true, rate: WEBHOOK_RATE });
          console.log(`\n== webhook question-updates/s (${CONNECTIONS} connections, ${SECONDS} s, answer cache on, send budget ${WEBHOOK_RATE}/s) ==`);
          reportWebhook(await webhookLoad("3 instances on PostgreSQL, round-robin", cluster, api));
          console.log(`\n== ingest on instance 1, answered by instance 2 ==`);
          ingest = await ingestVisible(cluster, databaseUrl);
          console.log(`ingest CLI (instance 1's DATA_DIR, the shared DATABASE_URL): ${ingest.ingestSeconds.toFixed(1)} s`);
          console.log(`instance 2 answered from it before the ingest: ${ingest.answeredBefore ? "YES (the check is void)" : "no"}`);
          console.log(
            ingest.visibleSeconds !== null
              ? `instance 2 answers from the new document ${ingest.visibleSeconds.toFixed(1)} s after the ingest ended (${(ingest.visibleSeconds + ingest.ingestSeconds).toFixed(1)} s after it began)`
              : `instance 2 did NOT answer from the new document within 120 s of the ingest (instance 1 does: ${ingest.instance1Answers ? "yes" : "no"}); its last reply: ${JSON.stringify(ingest.reply.slice(0, 200))}`,
          );
        } finally {
          await Promise.all(cluster.map(stopInstance));
        }
      });
      await part("webhook on 1 instance (SQLite)", async () => {
        const single = await startInstance(1, { api, knowledge: true, rate: WEBHOOK_RATE });
        try {
          console.log();
          reportWebhook(await webhookLoad("1 instance on SQLite", [single], api));
        } finally {
          await stopInstance(single);
        }
      });
      await api.close();
    }
  } finally {
    await db.close();
  }

  const three = broadcasts.filter((r) => r.instances === 3);
  const plain = three.find((r) => r.inFlightAtKill === undefined);
  const fmt = (n: number | undefined, digits: number) => (n === undefined ? "n/a" : n.toFixed(digits));
  const sum = (f: (r: BroadcastResult) => number) => (three.length ? three.reduce((a, r) => a + f(r), 0) : undefined);
  const visible = ingest?.visibleSeconds ?? undefined;
  if (failed.length) console.log(`\nparts that failed: ${failed.join("; ")} (their figures read n/a)`);
  console.log(
    `\ncluster: instances=3 sent=${plain?.delivered ?? "n/a"} lost=${sum((r) => r.lost) ?? "n/a"} duplicated=${sum((r) => r.duplicated) ?? "n/a"} ` +
      `peak_rate_ratio=${fmt(three.length ? Math.max(...three.map((r) => r.peakAttemptRatio)) : undefined, 2)} mean_rate_ratio=${fmt(plain?.meanRatio, 2)} ingest_visible_s=${fmt(visible, 1)}`,
  );
  process.exitCode = failed.length ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
