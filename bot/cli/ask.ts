/**
 * Ask the handbook from a terminal, as a member would (terminal adapter of the Q&A).
 *
 *   npm run ask -- "bao nhiêu tuổi thì được vào Đảng?"        # the answer as a member sees it
 *   npm run ask -- --json [--k 5] "câu hỏi"                   # {"answered", "passages": [...]}
 *   npm run ask -- --json --batch [--k 5] < questions.jsonl   # {"id","question"} per line → one result per line
 *
 * DATA_DIR / DATABASE_URL select the store; a fresh store is migrated on open. Indexes and
 * the model load once per process. Logs go to stderr, results to stdout.
 */
import readline from "node:readline";
import { loadConfig } from "../../core/config.js";
import { openStore } from "../../core/db/store.js";
import { createCliLogger } from "../../core/logger.js";
import { KnowledgeBase, DEFAULT_K } from "../../core/knowledge/knowledge-base.js";
import type { OutgoingMessage } from "../../core/conversation/types.js";
import { renderAnswer } from "../../core/conversation/render-answer.js";
import { segments } from "../../core/conversation/format.js";
import type { SearchResult } from "../../core/search/types.js";
import type { RetrievalResult } from "../../core/search/retriever.js";
import { citation } from "../../core/search/answer.js";

const USAGE = `Usage:
  npm run ask -- "question"
  npm run ask -- --explain "question"
  npm run ask -- --json [--k N] "question"
  npm run ask -- --json --batch [--k N]   (JSON lines {"id","question"} on stdin)`;

interface Args {
  json: boolean;
  explain: boolean;
  batch: boolean;
  k: number;
  question: string;
}

/** Parses the command line; throws a readable message on bad usage. */
export function parseArgs(argv: string[]): Args {
  const args: Args = { json: false, explain: false, batch: false, k: DEFAULT_K, question: "" };
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--json") args.json = true;
    else if (a === "--explain") args.explain = true;
    else if (a === "--batch") args.batch = true;
    else if (a === "--k" || a.startsWith("--k=")) {
      const v = a.startsWith("--k=") ? a.slice(4) : argv[++i];
      const k = Number(v);
      if (!Number.isInteger(k) || k < 1 || k > 100) throw new Error(`--k needs a whole number from 1 to 100 (got "${v ?? ""}")`);
      args.k = k;
    } else if (a === "--help" || a === "-h") throw new Error(USAGE);
    else if (a.startsWith("--")) throw new Error(`Unknown option ${a}\n${USAGE}`);
    else words.push(a);
  }
  args.question = words.join(" ").trim();
  if (args.batch && !args.json) throw new Error(`--batch needs --json\n${USAGE}`);
  if (args.explain && args.json) throw new Error(`--explain prints for people; use it without --json\n${USAGE}`);
  if (args.batch && args.question) throw new Error(`--batch reads questions from stdin; do not also pass one\n${USAGE}`);
  if (!args.batch && !args.question) throw new Error(`No question given\n${USAGE}`);
  return args;
}

/** The JSON shape printed per question. In "choices" mode the offered sections are passages[0..offered-1], in the order shown. */
export function toJson(result: SearchResult): {
  mode: SearchResult["mode"];
  answered: boolean;
  passages: { source: string; title: string; heading: string; citation: string; text: string; score: number }[];
} {
  return {
    mode: result.mode,
    answered: result.answered,
    passages: result.passages.map((p) => ({ source: p.source, title: p.title, heading: p.heading, citation: citation(p), text: p.text, score: p.score })),
  };
}

/** The same reply a member reads in chat; bold as ANSI bold on a terminal, plain when piped. */
function toTerminal(replies: OutgoingMessage[]): string {
  const ansi = process.stdout.isTTY === true;
  // Choices as a numbered list, as Zalo shows them (a terminal has no buttons).
  return replies
    .map((r) => {
      const text = segments(r.text).map((seg) => (seg.bold && ansi ? `\x1b[1m${seg.text}\x1b[22m` : seg.text)).join("");
      return [text, ...(r.choices ?? []).map((c, i) => `  ${i + 1}. ${c.label}`)].join("\n");
    })
    .join("\n\n");
}

/** Each step of the search in figures: the candidates' features and scores, the decision's probabilities, the rule. */
export function explain(r: RetrievalResult): string {
  const f2 = (x: number) => x.toFixed(2);
  const lines = [
    `mode: ${r.mode} — ${r.rule}`,
    `P(best section right) ${f2(r.single)}, P(one of the first three right) ${f2(r.within)}; in the handbook's subject: ${r.inDomain ? "yes" : "no"}; kind of fact asked found: ${r.typeFound ? "yes" : "no"}`,
    `decision features: ${Object.entries(r.signals).map(([k, v]) => `${k} ${f2(v)}`).join(", ")}`,
    `words of the question the best passage lacks: ${r.missing.map((m) => `${m.word} (idf ${m.idf.toFixed(1)})`).join(", ") || "none"}`,
    "",
    "rank  score  section → features",
  ];
  r.ranked.forEach((c, i) => {
    const features = Object.entries(c.features).filter(([, v]) => v !== 0).map(([k, v]) => `${k} ${f2(v)}`).join(", ");
    lines.push(`${String(i + 1).padStart(4)}  ${c.score.toFixed(3)}  ${citation(c.hit)}`, `        ${features}`);
  });
  return lines.join("\n");
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const config = loadConfig();
  const logger = createCliLogger({ LOG_LEVEL: process.env.LOG_LEVEL ? config.LOG_LEVEL : "warn" });
  const store = await openStore(config);
  const kb = await KnowledgeBase.open(config, { logger, store });
  try {
    if (await kb.isEmpty()) process.stderr.write(`The knowledge base in ${config.DATA_DIR} is empty: run \`npm run ingest -- <files>\` first.\n`);
    if (!args.batch) {
      if (args.json) process.stdout.write(`${JSON.stringify(toJson(await kb.search(args.question, { k: args.k })))}\n`);
      else process.stdout.write(`${toTerminal(renderAnswer(await kb.answer(args.question)))}\n`);
      if (args.explain) process.stdout.write(`\n${explain(await kb.retrieve(args.question, args.k))}\n`);
      return 0;
    }
    let lineNo = 0;
    let failures = 0;
    for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
      lineNo++;
      if (!line.trim()) continue;
      let id: unknown = undefined;
      try {
        const parsed = JSON.parse(line) as { id?: unknown; question?: unknown };
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("line is not a JSON object");
        id = parsed.id;
        if (typeof parsed.question !== "string" || !parsed.question.trim()) throw new Error('"question" must be a non-empty string');
        const result = await kb.search(parsed.question, { k: args.k });
        process.stdout.write(`${JSON.stringify({ id: id ?? null, ...toJson(result) })}\n`);
      } catch (err) {
        failures++;
        process.stdout.write(`${JSON.stringify({ id: id ?? null, line: lineNo, error: (err as Error).message })}\n`);
      }
    }
    return failures > 0 ? 1 : 0;
  } finally {
    await kb.close();
    await store.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`ask failed: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  },
);
