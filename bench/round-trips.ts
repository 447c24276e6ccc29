/**
 * Database round trips per question-update on PostgreSQL: every statement a server sends while it
 * stores, answers and replies to `--questions` (20) Telegram question-updates from different
 * members (the real server with the product's extensions, over a throwaway PostgreSQL and the fake
 * Bot API), counted by statement text. On one machine the cluster's webhook rate is bound by the
 * CPU that these round trips cost the instances and PostgreSQL (bench:cluster's webhook part).
 *
 *   npm run bench:round-trips
 */
import pg from "pg";
import { startTestPostgresql, createDatabase } from "../test/support/postgresql.js";
import { startFakeApi } from "../test/channels/support/fake-api.js";
import { startHarness } from "../test/channels/support/harness.js";
import { loadExtensions } from "../bot/extensions.js";

const counts = new Map<string, number>();
let total = 0;
let counting = false;
const orig = pg.Client.prototype.query as (...a: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: unknown }).query = function (this: unknown, ...args: unknown[]) {
  if (counting) {
    const q = args[0];
    const text = typeof q === "string" ? q : (q as { text?: string })?.text ?? "?";
    const key = text.replace(/\s+/g, " ").slice(0, 110);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    total++;
  }
  return orig.apply(this, args);
};

const server = await startTestPostgresql();
const url = await createDatabase(server.url, "count1");
const fake = await startFakeApi("telegram");
const SECRET = "s-123";
const h = await startHarness({ env: { DATABASE_URL: url, TELEGRAM_BOT_TOKEN: "1:T", TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_MODE: "webhook", TELEGRAM_API_ROOT: fake.url }, deps: { extensions: loadExtensions } });
const at = process.argv.indexOf("--questions");
const N = at >= 0 ? Number(process.argv[at + 1]) : 20;
let id = 1;
const ask = (user: number, text: string) => h.app.inject({ method: "POST", url: "/webhooks/telegram", payload: { update_id: id++, message: { message_id: id, date: 0, chat: { id: user, type: "private" }, from: { id: user, is_bot: false, first_name: "A" }, text } }, headers: { "x-telegram-bot-api-secret-token": SECRET } });
// Warm: the first questions load the search and learn the conversation state's keys.
for (let i = 0; i < 3; i++) await ask(900 + i, "Đảng viên dự bị được bao lâu thì xét chuyển chính thức?");
await h.app.inbox.drain();
await new Promise((r) => setTimeout(r, 500));
counting = true;
for (let i = 0; i < N; i++) await ask(1000 + i, "Đảng viên dự bị được bao lâu thì xét chuyển chính thức?");
await h.app.inbox.drain();
await new Promise((r) => setTimeout(r, 300));
counting = false;
console.log(`Statements per question-update, ${N} question-updates (the first 110 characters of each statement):`);
for (const [k, v] of [...counts].sort((a, b) => b[1] - a[1])) console.log(String((v / N).toFixed(2)).padStart(6), k);
console.log(`round-trips: per_question_update=${(total / N).toFixed(1)}`);
await h.close();
await fake.close();
await server.stop();
