/**
 * Webhook throughput: question-updates answered per second, and the p50/p99 latency of
 * the acknowledgement of POST /webhooks/telegram on loopback, under autocannon, beside a
 * bare Fastify route measured in the same run. Every update has a distinct update_id (so
 * de-duplication drops none) and is a real question answered by the real knowledge base
 * over the sample handbook; each answer goes to a local fake Bot API
 * (test/channels/support/fake-api.ts), and the sendMessage calls it recorded are
 * classified (answered with a citation / not found / other).
 *
 * An update is acknowledged once it is stored in the inbox; its answer follows. So each
 * run waits until every acknowledged update is answered, and the rate is the answers
 * divided by the time from the run's start to the last answer.
 *
 * Two processes share the machine's two cores: this one (autocannon + fake Bot API)
 * and a child running the server (real store, knowledge base, grammY, conversation core)
 * with its searches in the pool of search threads, as `npm start` runs them
 * (SEARCH_THREADS; BENCH_SEARCH=inline searches on the server's own thread instead).
 *
 *   npm run bench:webhook                      # 10 s per target, 32 connections
 *   BENCH_SECONDS=20 BENCH_CONNECTIONS=64 npm run bench:webhook
 *   SEARCH_THREADS=2 npm run bench:webhook
 */
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import Fastify from "fastify";
import { startFakeApi, type RecordedCall } from "../test/channels/support/fake-api.js";

// autocannon ships no types; the little used here, typed locally.
interface AutocannonRequest { method?: string; body?: string; headers?: Record<string, string> }
interface AutocannonOptions {
  url: string;
  connections?: number;
  duration?: number;
  amount?: number;
  headers?: Record<string, string>;
  requests?: { method?: string; setupRequest?: (req: AutocannonRequest) => AutocannonRequest }[];
}
interface AutocannonResult {
  "2xx": number;
  non2xx: number;
  errors: number;
  timeouts: number;
  requests: { average: number };
  latency: { p50: number; p99: number };
}
const autocannon = createRequire(import.meta.url)("autocannon") as (
  opts: AutocannonOptions,
  done: (err: Error | null, result: AutocannonResult) => void,
) => unknown;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECRET = "bench-secret-token";
const TOKEN = "100000:BENCH-token";
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

// ---------------------------------------------------------------- child: the server under test

async function serve(): Promise<void> {
  const { loadConfig } = await import("../core/config.js");
  const { createLogger } = await import("../core/logger.js");
  const { openStore } = await import("../core/db/store.js");
  const { KnowledgeBase } = await import("../core/knowledge/knowledge-base.js");
  const { createSearchPool } = await import("../core/knowledge/search-pool.js");
  const { ingestPaths } = await import("../ingest/pipeline.js");
  const { buildServer } = await import("../bot/server.js");

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-bench-webhook-"));
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: undefined,
    LOG_LEVEL: "warn",
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_MODE: "webhook",
    TELEGRAM_API_ROOT: process.env.BENCH_FAKE_API!,
    PUBLIC_URL: "",
    ZALO_BOT_TOKEN: "",
    WEB_CHAT_ENABLED: "false",
  });
  const logger = createLogger(config);
  const store = await openStore(config);
  const kb = await KnowledgeBase.open(config, { logger, store });
  const ingested = await ingestPaths([config.SAMPLE_HANDBOOK_DIR], kb, { logger });
  const inline = process.env.BENCH_SEARCH === "inline";
  const pool = inline ? undefined : await createSearchPool(config, { logger, threads: config.SEARCH_THREADS });
  const answerer =
    process.env.BENCH_ANSWERER === "stub"
      ? { answer: async (q: string) => ({ question: q, mode: "none" as const, answered: false, passages: [], offered: 0, highlights: [] }) }
      : (pool ?? kb);
  const app = await buildServer({ config, logger, store, answerer });
  await app.listen({ port: 0, host: "127.0.0.1" });
  // The same server without the answer cache: every question runs a search.
  const uncached = await buildServer({ config, logger, store, answerer, answerCache: false });
  await uncached.listen({ port: 0, host: "127.0.0.1" });

  const bare = Fastify({ logger: false });
  bare.post("/bare", async () => ({ ok: true }));
  await bare.listen({ port: 0, host: "127.0.0.1" });

  const portOf = (s: http.Server) => (s.address() as { port: number }).port;
  const search = pool ? `${pool.threads} search thread(s)` : "search on the server's thread";
  process.send!({ app: portOf(app.server), uncached: portOf(uncached.server), bare: portOf(bare.server), documents: ingested.length, embedder: kb.embedder.constructor.name, search });
  process.on("message", async (m) => {
    if (m === "stop") {
      await app.close();
      await uncached.close();
      await bare.close();
      await pool?.close();
      await kb.close();
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
  });
}

// ---------------------------------------------------------------- parent: load and fake Bot API

/** Answers sent during one timed run, classified: with a citation / "Chưa tìm thấy" / other. */
function classify(calls: RecordedCall[]) {
  const sent = { sendMessage: 0, answered: 0, notFound: 0, other: 0, typing: 0 };
  for (const c of calls) {
    if (c.method === "sendChatAction") sent.typing++;
    if (c.method !== "sendMessage") continue;
    sent.sendMessage++;
    const text = String(c.body.text);
    if (text.includes("<b>Nguồn:</b>")) sent.answered++;
    else if (text.startsWith("Chưa tìm thấy")) sent.notFound++;
    else sent.other++;
  }
  return sent;
}

function run(opts: AutocannonOptions): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function main(): Promise<void> {
  const fake = await startFakeApi("telegram");
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ["--serve"], {
    env: { ...process.env, BENCH_FAKE_API: fake.url },
    // BENCH_PROFILE=dir writes a V8 CPU profile of the server process there.
    execArgv: process.env.BENCH_PROFILE ? [...process.execArgv, "--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : process.execArgv,
    stdio: ["inherit", "inherit", "inherit", "ipc"],
  });
  const ports = await new Promise<{ app: number; uncached: number; bare: number; documents: number; embedder: string; search: string }>((resolve, reject) => {
    child.once("message", (m) => resolve(m as never));
    child.once("exit", (code) => reject(new Error(`server process exited (${code})`)));
  });

  let updateId = 1;
  const updateBody = () => {
    const id = updateId++;
    // 20,000 distinct users: nobody reaches the 20-questions-a-minute limit in a short run.
    const user = 1_000_000 + (id % 20_000);
    return JSON.stringify({
      update_id: id,
      message: {
        message_id: id,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user, type: "private", first_name: "Bench" },
        from: { id: user, is_bot: false, first_name: "Bench" },
        text: QUESTIONS[id % QUESTIONS.length],
      },
    });
  };

  // Warm-up: the first updates load the bot info and warm the search caches.
  await run({
    url: `http://127.0.0.1:${ports.app}/webhooks/telegram`,
    connections: 4,
    amount: 200,
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
    requests: [{ method: "POST", setupRequest: (req) => ({ ...req, body: updateBody() }) }],
  });
  const webhookRun = async (port: number) => {
    const from = fake.all.length;
    const firstId = updateId;
    const started = Date.now();
    const result = await run({
      url: `http://127.0.0.1:${port}/webhooks/telegram`,
      connections: CONNECTIONS,
      duration: SECONDS,
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
      requests: [{ method: "POST", setupRequest: (req) => ({ ...req, body: updateBody() }) }],
    });
    // Acknowledged means stored: wait (up to 3 minutes) for the answers still being worked on.
    const answered = () => fake.all.slice(from).filter((c) => c.method === "sendMessage").length;
    for (const deadline = Date.now() + 180_000; answered() < result["2xx"] && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    const calls = fake.all.slice(from);
    const lastAnswer = Math.max(started, ...calls.filter((c) => c.method === "sendMessage").map((c) => c.at));
    return { result, sent: classify(calls), posted: updateId - firstId, seconds: (lastAnswer - started) / 1000 };
  };
  const repeated = await webhookRun(ports.app);
  const fresh = await webhookRun(ports.uncached);

  const bare = await run({
    url: `http://127.0.0.1:${ports.bare}/bare`,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { "content-type": "application/json" },
    requests: [{ method: "POST", setupRequest: (req) => ({ ...req, body: updateBody() }) }],
  });

  child.send("stop");
  await new Promise((r) => child.once("exit", r));
  await fake.close();

  const line = (name: string, r: AutocannonResult, rate: number) =>
    `${name.padEnd(44)} ${rate.toFixed(0).padStart(6)} /s   ack p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(5)} ms   2xx ${r["2xx"]}   non-2xx ${r.non2xx}   errors ${r.errors}   timeouts ${r.timeouts}`;
  const rate = (run: typeof repeated) => run.sent.sendMessage / Math.max(run.seconds, SECONDS);
  const counted = (name: string, run: typeof repeated) =>
    `  ${name}: updates posted ${run.posted}, 2xx ${run.result["2xx"]}, sendMessage ${run.sent.sendMessage} (with citation ${run.sent.answered}, "Chưa tìm thấy" ${run.sent.notFound}, other ${run.sent.other}), typing ${run.sent.typing}; last answer ${run.seconds.toFixed(1)} s after the start; every 2xx update answered: ${run.sent.sendMessage >= run.result["2xx"] ? "yes" : `NO (${run.result["2xx"] - run.sent.sendMessage} missing)`}`;

  console.log(`\nWebhook benchmark: ${SECONDS} s per target, ${CONNECTIONS} connections, loopback, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), load average before ${os.loadavg()[0]!.toFixed(1)}`);
  console.log(`Server: real store + knowledge base over the sample handbook (${ports.documents} files, ${ports.embedder}; ${ports.search}); each update stored in the inbox, then answered through the outbox.`);
  console.log(`Load: ${QUESTIONS.length} member questions in rotation, distinct update_id each, 20,000 distinct users.\n`);
  console.log(line("POST /webhooks/telegram (answer cache on)", repeated.result, rate(repeated)));
  console.log(line("POST /webhooks/telegram (cache off: search)", fresh.result, rate(fresh)));
  console.log(line("bare Fastify route", bare, bare.requests.average));
  console.log(`\nAnswers counted by the fake Bot API (sendMessage calls received from each run's start to its last answer; the rate divides by that time):`);
  console.log(counted("cache on ", repeated));
  console.log(counted("cache off", fresh));
  console.log(`\nquestion-updates/s, answer cache on (answers sent / s): ${rate(repeated).toFixed(0)}   target ≥ 500: ${rate(repeated) >= 500 ? "met" : "NOT met"}`);
  console.log(`question-updates/s, cache off (a search per update): ${rate(fresh).toFixed(0)}`);
  console.log(`ratio to the bare route: cache on ${((rate(repeated) / bare.requests.average) * 100).toFixed(1)} %, cache off ${((rate(fresh) / bare.requests.average) * 100).toFixed(1)} %`);
}

if (process.argv.includes("--serve")) {
  serve().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
