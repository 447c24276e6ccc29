/**
 * The cluster's send budget, measured: N outbox workers, each in its own process with its own
 * ServerInstance and pool, deliver one broadcast from one PostgreSQL outbox through the real
 * Telegram sender to the local fake Bot API, which enforces Telegram's limits (429 beyond
 * `rate`/s in any second, or 1/s per chat). bench:cluster (bench/cluster.ts) measures the whole
 * server; this isolates the outbox and the budget (core/outbox/postgresql-worker.ts).
 *
 *   npx tsx bench/cluster-budget.ts                              # 3 workers, 3,000 members at 30/s, one killed halfway
 *   npx tsx bench/cluster-budget.ts --workers 2 --members 1000 --no-kill
 *   npx tsx bench/cluster-budget.ts --database-url postgresql://…  # a server where it may create databases (default: a throwaway one)
 *
 * Prints per run: the accepted messages per second against the limit (peak and mean over the
 * full seconds), 429s, lost and duplicated messages (with a kill: against the rows the killed
 * worker had in flight).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTelegramSender } from "../bot/telegram/sender.js";
import { createServerInstance } from "../core/cluster/server-instance.js";
import { loadConfig } from "../core/config.js";
import { openStore, type PostgresqlStore } from "../core/db/store.js";
import { createLogger } from "../core/logger.js";
import { enqueue } from "../core/outbox/outbox.js";
import { openOutboxWorker } from "../core/outbox/open-worker.js";
import { startFakeApi } from "../test/channels/support/fake-api.js";
import { createDatabase, startTestPostgresql, type TestPostgresql } from "../test/support/postgresql.js";

const SELF = fileURLToPath(import.meta.url);
const flag = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

async function openPostgresql(url: string): Promise<{ store: PostgresqlStore; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-bench-budget-"));
  const store = await openStore(loadConfig({ DATA_DIR: dir, DATABASE_URL: url, LOG_LEVEL: "silent" }), { logger: createLogger({ LOG_LEVEL: "silent" }) });
  if (store.engine !== "postgresql") throw new Error("--database-url must be a postgresql:// URL");
  return { store, dir };
}

// ---------------------------------------------------------------- child: one instance's worker

async function child(): Promise<void> {
  const { store, dir } = await openPostgresql(flag("database-url")!);
  const logger = createLogger({ LOG_LEVEL: "silent" });
  const instance = createServerInstance(store.pg, { logger });
  await instance.start();
  const worker = openOutboxWorker(store, {
    instanceId: instance.id,
    senders: [createTelegramSender({ token: "123456:BENCH-token", apiRoot: flag("api")!, logger })],
    limits: { telegram: { perSecond: Number(flag("rate")), perChatPerSecond: 1 } },
  });
  await worker.start();
  process.stdout.write(`started ${instance.id}\n`);
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const open = await store.prisma.outboxMessage.count({ where: { status: { in: ["pending", "sending"] } } });
    if (open === 0) break;
  }
  await worker.stop();
  await instance.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------- parent

function startChild(args: string[]): { proc: ChildProcess; done: Promise<number | null>; instanceId: Promise<string> } {
  const proc = spawn(process.execPath, ["--import", "tsx", SELF, "--child", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const instanceId = new Promise<string>((resolve) =>
    proc.stdout!.setEncoding("utf8").on("data", (d: string) => {
      const m = /started (\S+)/.exec(d);
      if (m) resolve(m[1]!);
    }),
  );
  return { proc, done: new Promise((resolve) => proc.on("exit", (code) => resolve(code))), instanceId };
}

async function run(serverUrl: string, name: string, workers: number, members: number, rate: number, kill: boolean): Promise<void> {
  const url = await createDatabase(serverUrl, name);
  const { store, dir } = await openPostgresql(url);
  await enqueue(
    store.prisma,
    Array.from({ length: members }, (_, i) => ({ dedupeKey: `bench:${i}`, channel: "telegram" as const, chatId: String(1_000_000 + i), message: { text: `Thông báo ${i}` } })),
  );
  const api = await startFakeApi("telegram", { limits: { perSecond: rate, perChatPerSecond: 1, retryAfter: 1 } });
  const args = ["--database-url", url, "--api", api.url, "--rate", String(rate)];
  const children = Array.from({ length: workers }, () => startChild(args));
  let inFlightAtKill: number | undefined;
  if (kill) {
    while (api.all.length < members / 2) await new Promise((r) => setTimeout(r, 5));
    children[0]!.proc.kill("SIGKILL");
    await children[0]!.done;
    // Its requests in flight: the rows it left in "sending" (its lease gives them to the others in 15 s).
    inFlightAtKill = await store.prisma.outboxMessage.count({ where: { status: "sending", claimedBy: await children[0]!.instanceId } });
  }
  await Promise.all(children.map((c) => c.done));
  const sends = api.all.filter((c) => c.method === "sendMessage");
  const chats = sends.map((c) => String(c.body.chat_id));
  const unique = new Set(chats);
  const first = Math.min(...sends.map((c) => c.at));
  const perSecond = new Map<number, number>();
  for (const c of sends) perSecond.set(Math.floor((c.at - first) / 1000), (perSecond.get(Math.floor((c.at - first) / 1000)) ?? 0) + 1);
  const seconds = Math.max(...perSecond.keys()) + 1;
  // The last second is partial (the broadcast ends in it); the seconds around a kill are counted as they are.
  const full = [...perSecond.entries()].filter(([s]) => s < seconds - 1).map(([, n]) => n);
  const peak = Math.max(...perSecond.values()) / rate;
  const mean = full.length ? full.reduce((a, b) => a + b, 0) / full.length / rate : NaN;
  const label = `${workers} workers${kill ? ", one killed halfway" : ""}`;
  console.log(
    `[${label}] members=${members} sent=${unique.size} lost=${members - unique.size} duplicated=${chats.length - unique.size}` +
      (inFlightAtKill !== undefined ? ` in_flight_at_kill=${inFlightAtKill}` : "") +
      ` 429s=${api.refused.length} seconds=${seconds} peak_rate_ratio=${peak.toFixed(3)} mean_rate_ratio=${mean.toFixed(3)}`,
  );
  await api.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  if (process.argv.includes("--child")) return child();
  const workers = Number(flag("workers") ?? 3);
  const members = Number(flag("members") ?? 3000);
  const rate = Number(flag("rate") ?? 30);
  let server: TestPostgresql | null = null;
  const given = flag("database-url");
  if (!given) server = await startTestPostgresql();
  const serverUrl = given ?? server!.url;
  try {
    await run(serverUrl, `bench_budget_${process.pid}_a`, workers, members, rate, false);
    if (!process.argv.includes("--no-kill")) await run(serverUrl, `bench_budget_${process.pid}_b`, workers, members, rate, true);
  } finally {
    await server?.stop();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
