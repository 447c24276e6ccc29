/**
 * `npm run bench:replica` — the knowledge on PostgreSQL (core/knowledge/replica.ts) at the corpus
 * and at BENCH_SCALE (default 100,000) synthetic passages: on a throwaway local PostgreSQL,
 * instance A ingests (the ingest CLI on its DATA_DIR, publishing), server B (bot/main.ts, its own
 * DATA_DIR) follows. Prints the publish time, B's pull time (its "knowledge: pulled" log line),
 * the size of B's local copy (knowledge.db and the vector files) and B's RSS, then the time from
 * a small ingest on A until B answers from it on its web chat. `-- --quick` stops after the corpus.
 * Needs ../shared/corpus and PostgreSQL's binaries (test/support/postgresql.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig, PROJECT_ROOT } from "../core/config.js";
import { openStore } from "../core/db/store.js";
import { KnowledgeBase } from "../core/knowledge/knowledge-base.js";
import { heldKnowledge, knowledgeReplica, publishedKnowledge } from "../core/knowledge/replica.js";
import { createCliLogger } from "../core/logger.js";
import { main as ingest } from "../ingest/cli.js";
import { createDatabase, startTestPostgresql } from "../test/support/postgresql.js";
import { startServerProcess, until as waitFor, type ServerProcess } from "../test/support/server-process.js";
import { syntheticDocuments } from "./synthetic.js";

const SCALE = Number(process.env.BENCH_SCALE ?? 100_000);
const QUICK = process.argv.includes("--quick");
const CORPUS = path.resolve(PROJECT_ROOT, "..", "shared", "corpus");

type Server = ServerProcess;

function startServer(url: string): Server {
  return startServerProcess({ DATABASE_URL: url }, "sotay-replica-bench-b-");
}

const until = <T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 1_800_000) => waitFor(probe, what, timeoutMs, 100);

/** The "knowledge: pulled" lines a server logged: version and ms. */
function pulls(server: Server): { version: number; ms: number }[] {
  return server
    .output()
    .split("\n")
    .filter((l) => l.includes(`"msg":"knowledge: pulled"`))
    .map((l) => JSON.parse(l) as { version: number; ms: number });
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function sizeOf(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.size;
  return fs.readdirSync(p).reduce((n, f) => n + sizeOf(path.join(p, f)), 0);
}

/** B's local copy: the SQLite file (with its WAL) and the vector index (INDEX_DIR: DATA_DIR/store). */
function localCopy(server: Server): string {
  const db = ["knowledge.db", "knowledge.db-wal"].reduce((n, f) => n + sizeOf(path.join(server.dataDir, f)), 0);
  const index = sizeOf(path.join(server.dataDir, "store"));
  return `knowledge.db ${mb(db)}, vector index ${mb(index)}`;
}

/** The server's RSS now and at its peak (the node process under tsx, named by its log lines). */
function rss(server: Server): string {
  const pid = /"pid":(\d+)/.exec(server.output())![1];
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)![1]) * 1024;
  return `RSS ${mb(kb("VmRSS"))} (peak ${mb(kb("VmHWM"))})`;
}

async function ready(server: Server): Promise<string> {
  const base = await until(() => /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())?.[1], "the server to listen");
  await until(async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined), "readyz");
  return base;
}

async function ask(base: string, text: string): Promise<string> {
  const res = await fetch(`${base}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ sessionId: `bench-replica-${Math.random().toString(36).slice(2)}`, text }) });
  return ((await res.json()) as { replies: { text: string }[] }).replies.map((r) => r.text).join("\n");
}

const quiet = { out: () => undefined, err: () => undefined };

/** Topics no corpus document speaks of: each small document answers one. */
const TOPICS = [
  ["Mật khẩu sổ đảng viên điện tử", "đổi sau chín mươi ngày sử dụng"],
  ["Phòng đọc tài liệu của chi bộ", "mở cửa vào sáng thứ bảy hằng tuần"],
  ["Xe đưa đón đảng viên cao tuổi đi họp", "xuất phát lúc bảy giờ từ nhà văn hóa"],
  ["Bảng tin điện tử của đảng bộ", "cập nhật vào chiều thứ sáu hằng tuần"],
  ["Tủ sách lý luận chính trị của chi bộ", "cho mượn sách trong hai tuần"],
] as const;

/** How long each small ingest's CLI run took (open, pull, parse, publish, attach data/questions). */
const cliSeconds: number[] = [];

/** Ingests one small new document on A; returns the seconds until B answers from it. */
async function ingestVisible(url: string, dataDirA: string, server: Server, base: string, n: number): Promise<number> {
  const [topic, fact] = TOPICS[n % TOPICS.length]!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-replica-bench-doc-"));
  fs.writeFileSync(path.join(dir, `thu-${n}.md`), `# Hướng dẫn thử số ${n}\n\n## ${topic} thế nào?\n${topic} ${fact}.\n`);
  const t0 = performance.now();
  const code = await ingest([dir], { ...process.env, DATA_DIR: dataDirA, DATABASE_URL: url, LOG_LEVEL: "warn" }, quiet);
  if (code !== 0) throw new Error(`ingest exited ${code}`);
  cliSeconds.push((performance.now() - t0) / 1000);
  let last = "";
  try {
    await until(async () => ((last = await ask(base, `${topic.toLowerCase()} thế nào`)).includes(fact) ? true : undefined), "B to answer from the new document", 60_000);
  } catch (err) {
    console.error(`B's last answer: ${last}\nB's pulls: ${JSON.stringify(pulls(server))}`);
    throw err;
  }
  return (performance.now() - t0) / 1000;
}

async function measure(label: string, server: Server): Promise<void> {
  const last = pulls(server).at(-1);
  console.log(`${label}: the server's last pull ${last ? `${last.ms} ms (version ${last.version})` : "none"}; local copy ${localCopy(server)}; ${rss(server)}`);
}

async function main(): Promise<void> {
  if (!fs.existsSync(CORPUS)) {
    console.log(`SKIPPED: ${CORPUS} is absent`);
    return;
  }
  const pgServer = await startTestPostgresql();
  const url = await createDatabase(pgServer.url, "bench_replica");
  const dataDirA = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-replica-bench-a-"));
  let b: Server | undefined;
  let c: Server | undefined;
  try {
    console.log(`## Knowledge replica: PostgreSQL ${url.replace(/\/[^/]*$/, "/…")}, ${os.cpus().length} cores\n`);
    let t = performance.now();
    const code = await ingest([CORPUS], { ...process.env, DATA_DIR: dataDirA, DATABASE_URL: url, LOG_LEVEL: "warn" }, quiet);
    if (code !== 0) throw new Error(`corpus ingest exited ${code}`);
    console.log(`corpus ingest on A (ingest CLI, published): ${((performance.now() - t) / 1000).toFixed(1)} s`);

    t = performance.now();
    b = startServer(url);
    const base = await ready(b);
    console.log(`server B start until ready (pulls the corpus first): ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const passages = (await openCount(b.dataDir)).passages;
    await measure(`corpus, ${passages.toLocaleString("en")} passages`, b);
    const visible = [];
    for (let i = 0; i < 3; i++) visible.push(await ingestVisible(url, dataDirA, b, base, i));
    console.log(`ingest on A until B answers from it (3 small documents): ${visible.map((s) => s.toFixed(2)).join(" s, ")} s; of which the ingest CLI ${cliSeconds.slice(-3).map((s) => s.toFixed(2)).join(" s, ")} s; B's pulls ${pulls(b).slice(-3).map((p) => `${p.ms} ms`).join(", ")}`);
    if (QUICK) return;

    // ---------------------------------------------------------------- synthetic scale
    const config = loadConfig({ DATA_DIR: dataDirA, DATABASE_URL: url, LOG_LEVEL: "warn" });
    const logger = createCliLogger(config);
    const store = await openStore(config, { logger });
    const kb = await KnowledgeBase.open(config, { logger, store });
    const replica = knowledgeReplica(store, logger, heldKnowledge(kb))!;
    const texts = store.sqlite.prepare(`SELECT text FROM Passage`).pluck().all() as string[];
    const docs = syntheticDocuments(texts, SCALE);
    t = performance.now();
    await publishedKnowledge(kb, replica).upsertAll(docs);
    console.log(`\n${SCALE.toLocaleString("en")} synthetic passages on A (store, index, publish in one transaction): ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await kb.close();
    await store.close();
    const pullsBefore = pulls(b).length;
    await until(async () => ((await openCount(b!.dataDir)).passages >= passages + SCALE ? true : undefined), "B's copy to hold every passage");
    await until(() => (pulls(b!).length > pullsBefore ? true : undefined), "B's pull to finish");
    await new Promise((r) => setTimeout(r, 2000)); // the search thread reloads the vector index
    await measure(`corpus + ${SCALE.toLocaleString("en")} synthetic (follower pull of the new passages)`, b);
    const visibleBig = [];
    for (let i = 3; i < 5; i++) visibleBig.push(await ingestVisible(url, dataDirA, b, base, i));
    console.log(`ingest on A until B answers from it, at scale: ${visibleBig.map((s) => s.toFixed(2)).join(" s, ")} s; of which the ingest CLI ${cliSeconds.slice(-2).map((s) => s.toFixed(2)).join(" s, ")} s; B's pulls ${pulls(b).slice(-2).map((p) => `${p.ms} ms`).join(", ")}`);

    t = performance.now();
    c = startServer(url);
    await ready(c);
    console.log(`server C with an empty DATA_DIR, start until ready (pulls everything): ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await measure(`corpus + ${SCALE.toLocaleString("en")} synthetic (pull from empty)`, c);
  } finally {
    for (const s of [b, c]) {
      if (s && s.child.exitCode === null) {
        s.child.kill("SIGTERM");
        await s.exited;
      }
    }
    await pgServer.stop();
  }
}

/** Passages in a server's local copy (read-only, beside the server). */
async function openCount(dataDir: string): Promise<{ passages: number }> {
  const Database = (await import("better-sqlite3")).default;
  const db = new Database(path.join(dataDir, "knowledge.db"), { readonly: true });
  try {
    return { passages: db.prepare(`SELECT count(*) FROM Passage`).pluck().get() as number };
  } finally {
    db.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
