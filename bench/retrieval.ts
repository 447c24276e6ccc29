/**
 * Retrieval benchmark: `npm run bench:retrieval [-- --quick] [-- --questions set.jsonl ...]`.
 *
 * Ingests ../shared/corpus into a fresh temp store, attaches data/questions, and reports for
 * ../shared/eval/dev.jsonl and every `--questions` set (JSON lines as dev.jsonl) the figures of
 * the three-way reply (bench/retrieval-eval.ts): one-tap success, confidently wrong, coverage,
 * and for unanswerable questions the share answered and the share told "not found"; beside
 * them hit@1 and hit@3 of the first passages. Rows:
 *   - the product;
 *   - without the questions of data/questions (QUESTIONS_DIR empty): what a newly ingested
 *     document without a question file gets;
 *   - plain BM25 over the accented text (no folding, synonyms, questions or vectors);
 *   - an ablation: the product with one technique off (pooled over all sets);
 * then how often the sentence put in bold holds the answer, latency and memory at corpus
 * scale and, without --quick, at 100,000 synthetic passages.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type Database from "better-sqlite3";
import { loadConfig, PROJECT_ROOT, type Config } from "../core/config.js";
import { openStore } from "../core/db/store.js";
import { createCliLogger } from "../core/logger.js";
import { KnowledgeBase } from "../core/knowledge/knowledge-base.js";
import { bestSentence } from "../core/search/answer.js";
import type { RetrieverOptions } from "../core/search/retriever.js";
import { syllables } from "../core/text/vietnamese.js";
import { readQuestionFiles } from "../ingest/questions.js";
import { findSections, parseSectionRef } from "../core/knowledge/section-path.js";
import { ingestCorpus } from "./corpus.js";
import { highlightHolds, hitRank, pct, percentile, readDevSet, summarise, type DevItem, type Figures, type Outcome } from "./retrieval-eval.js";
import { syntheticDocuments } from "./synthetic.js";

const quick = process.argv.includes("--quick");
const SCALE = Number(process.env.BENCH_SCALE ?? 100_000);
const shared = path.join(PROJECT_ROOT, "..", "shared");
const corpusDir = path.join(shared, "corpus");
const questionsDir = path.join(PROJECT_ROOT, "data", "questions");
const sets = [path.join(shared, "eval", "dev.jsonl"), ...process.argv.flatMap((a, i) => (a === "--questions" && process.argv[i + 1] ? [process.argv[i + 1]!] : []))].map((file) => ({
  name: path.basename(file, ".jsonl"),
  items: readDevSet(file),
}));
const maxRssMb = () => process.resourceUsage().maxRSS / 1024;

function tempConfig(tag: string): Config {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sotay-bench-${tag}-`));
  return loadConfig({ DATA_DIR: dir, LOG_LEVEL: "warn", MODELS_DIR: process.env.MODELS_DIR ?? path.join(dir, "models") });
}

async function evaluate(kb: KnowledgeBase, items: DevItem[]): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const item of items) {
    const r = await kb.search(item.question, { k: 5 });
    const rank = item.answer_quote ? hitRank(item.answer_quote, r.passages) : 0;
    const offeredRight = !!item.answer_quote && r.mode === "choices" && hitRank(item.answer_quote, r.passages.slice(0, r.offered)) > 0;
    out.push({ item, rank, mode: r.mode, offeredRight });
  }
  return out;
}

/** Plain BM25 over the accented column: every syllable OR-ed, no folding, synonyms, questions or vectors. */
function plainBm25(db: Database.Database, question: string, limit: number): number[] {
  const syl = [...new Set(syllables(question))];
  if (!syl.length) return [];
  const match = `accented : (${syl.map((t) => `"${t.replace(/"/g, '""')}"`).join(" OR ")})`;
  return db
    .prepare(`SELECT rowid AS id FROM PassageFts WHERE PassageFts MATCH ? ORDER BY bm25(PassageFts, 0.0, 1.0, 0.0) LIMIT ?`)
    .pluck()
    .all(match, limit) as number[];
}

const HEADER = `${"set".padEnd(12)} ${"variant".padEnd(34)} one-tap conf-wrong coverage | unans→answer unans→none |   hit@1   hit@3`;
function row(set: string, variant: string, f: Figures, modes = true): string {
  const m = (x: number) => (modes ? pct(x) : "    n/a");
  return `${set.padEnd(12)} ${variant.padEnd(34)} ${m(f.oneTap)}    ${m(f.wrong)}  ${m(f.coverage)} |      ${m(f.unanswerableAnswered)}    ${m(f.unanswerableNone)} | ${pct(f.hit1)} ${pct(f.hit3)}`;
}

async function latency(kb: KnowledgeBase, questions: string[], rounds: number) {
  // The first pass is timed too: on a freshly opened knowledge base it is each question's first sight.
  const first: number[] = [];
  for (const q of questions) {
    const t = performance.now();
    await kb.search(q);
    first.push(performance.now() - t);
  }
  const times: number[] = [];
  for (let r = 0; r < rounds; r++)
    for (const q of questions) {
      const t = performance.now();
      await kb.search(q, { k: 5 });
      times.push(performance.now() - t);
    }
  return { p50: percentile(times, 50), p95: percentile(times, 95), n: times.length, firstP50: percentile(first, 50), firstP95: percentile(first, 95) };
}

/** A pair of bench/fit-data/taught.jsonl: a member's question, another member's paraphrase, and the section that answers both. */
interface TaughtPair {
  id: string;
  question: string;
  paraphrase: string;
  doc: string;
  section: string;
}

/**
 * The "taught" row (issue 9): every question of the pairs that does not get its section as the
 * answer is taught to that section, as an officer would; then each paraphrase (written by someone
 * else) is asked. How many of those get the right answer, before and after teaching?
 */
async function taughtRow(kb: KnowledgeBase, db: Database.Database): Promise<void> {
  const pairs = fs.readFileSync(path.join(PROJECT_ROOT, "bench", "fit-data", "taught.jsonl"), "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as TaughtPair);
  const holding = db.prepare(`SELECT 1 FROM PassageSection ps JOIN Passage p ON p.id = ps.passageId JOIN Document d ON d.id = p.documentId WHERE ps.passageId = ? AND d.source = ? AND ps.path = ?`).pluck();
  const pathOf = (pair: TaughtPair) => {
    const doc = db.prepare(`SELECT id FROM Document WHERE source = ?`).pluck().get(pair.doc) as number;
    return findSections(parseSectionRef(pair.section)!, db.prepare(`SELECT path FROM Section WHERE documentId = ?`).pluck().all(doc) as string[])[0];
  };
  // The passage holds the section or one below it (a question about "Điều 5" is answered by its clauses).
  const holds = (passageId: number, pair: TaughtPair, sectionPath: string) =>
    !!holding.get(passageId, pair.doc, sectionPath) || (db.prepare(`SELECT path FROM PassageSection WHERE passageId = ?`).pluck().all(passageId) as string[]).some((p) => p.startsWith(`${sectionPath}/`));
  /** "answer": the section quoted as the answer; "tap": offered among the choices; "miss": neither. */
  const outcome = async (text: string, pair: TaughtPair, sectionPath: string): Promise<"answer" | "tap" | "miss"> => {
    const r = await kb.search(text, { k: 3 });
    const right = (i: number) => r.passages[i]?.source === pair.doc && holds(r.passages[i]!.passageId, pair, sectionPath);
    if (r.mode === "answer") return right(0) ? "answer" : "miss";
    if (r.mode === "choices") return Array.from({ length: r.offered }, (_, i) => i).some(right) ? "tap" : "miss";
    return "miss";
  };
  const failed: { pair: TaughtPair; path: string; before: string }[] = [];
  for (const pair of pairs) {
    const sectionPath = pathOf(pair);
    if (!sectionPath) throw new Error(`taught.jsonl ${pair.id}: section "${pair.section}" is not in ${pair.doc}`);
    if ((await outcome(pair.question, pair, sectionPath)) === "answer") continue;
    failed.push({ pair, path: sectionPath, before: await outcome(pair.paraphrase, pair, sectionPath) });
  }
  for (const f of failed) await kb.teach(f.pair.question, f.pair.doc, f.pair.section);
  const after: string[] = [];
  let itself = 0;
  for (const f of failed) {
    after.push(await outcome(f.pair.paraphrase, f.pair, f.path));
    if ((await outcome(f.pair.question, f.pair, f.path)) === "answer") itself++;
  }
  const count = (list: string[], ...kinds: string[]) => list.filter((k) => kinds.includes(k)).length;
  const before = failed.map((f) => f.before);
  const n = failed.length;
  console.log(`\ntaught: ${pairs.length} pairs (bench/fit-data/taught.jsonl); ${n} questions did not get their section as the answer and were taught to it;`);
  console.log(`        the taught questions themselves now get it as the answer: ${itself}/${n}`);
  console.log(`        their paraphrases, asked by someone else: the answer ${count(before, "answer")}/${n} before teaching, ${count(after, "answer")}/${n} after; one tap (answer or offered) ${count(before, "answer", "tap")}/${n} before, ${count(after, "answer", "tap")}/${n} after`);
}

async function main() {
  const logger = createCliLogger({ LOG_LEVEL: "warn" });
  console.log(`# Retrieval benchmark (${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} cores)`);
  for (const s of sets) console.log(`${s.name}: ${s.items.length} questions (${s.items.filter((d) => d.answer_quote).length} answerable, ${s.items.filter((d) => !d.answer_quote).length} unanswerable)`);

  // ---------------------------------------------------------------- corpus scale
  const config = tempConfig("corpus");
  const store = await openStore(config);
  const t0 = performance.now();
  const kb = await KnowledgeBase.open(config, { logger, store });
  const ingestPath = await ingestCorpus(corpusDir, kb);
  const questionFiles = readQuestionFiles(questionsDir);
  const attached = (await kb.syncQuestions(questionFiles)).reduce((n, r) => n + r.attached, 0);
  const ingestMs = performance.now() - t0;
  const passages = store.sqlite.prepare("SELECT count(*) FROM Passage").pluck().get() as number;
  console.log(`\ncorpus: ${(await kb.list()).length} documents, ${passages} passages via ${ingestPath}, ${attached} questions of data/questions attached; embedder ${kb.embedder.id}`);
  console.log(`ingest (open + parse + chunk + store + index + questions): ${ingestMs.toFixed(0)} ms\n`);

  const product = new Map<string, Outcome[]>();
  for (const s of sets) product.set(s.name, await evaluate(kb, s.items));
  const textOf = store.sqlite.prepare("SELECT text FROM Passage WHERE id = ?").pluck();
  const baseline = (items: DevItem[]): Outcome[] =>
    items.map((item) => {
      const texts = plainBm25(store.sqlite, item.question, 5).map((id) => ({ text: textOf.get(id) as string }));
      return { item, rank: item.answer_quote ? hitRank(item.answer_quote, texts) : 0, mode: "answer", offeredRight: false };
    });
  // The same store with no question attached: a document ingested without a question file.
  await kb.syncQuestions([]);
  const without = new Map<string, Outcome[]>();
  for (const s of sets) without.set(s.name, await evaluate(kb, s.items));
  await kb.syncQuestions(questionFiles);

  console.log("## Results\n");
  console.log(HEADER);
  const all = (m: Map<string, Outcome[]>) => [...m.values()].flat();
  for (const s of sets) {
    console.log(row(s.name, "product", summarise(product.get(s.name)!)));
    console.log(row("", "without data/questions", summarise(without.get(s.name)!)));
    console.log(row("", "plain BM25 baseline", summarise(baseline(s.items)), false));
  }
  if (sets.length > 1) {
    console.log(row("all sets", "product", summarise(all(product))));
    console.log(row("", "without data/questions", summarise(all(without))));
    console.log(row("", "plain BM25 baseline", summarise(baseline(sets.flatMap((s) => s.items))), false));
  }

  // Ablation: the same store, one technique off at a time, over every set together.
  const variants: [string, Partial<RetrieverOptions>][] = [
    ["- synonyms", { synonyms: false }],
    ["- syllable pairs", { bigrams: false }],
    ["- vectors (hashing embedder)", { vectors: false }],
    ["- answer-type rule", { requireAnswerType: false }],
    ["- domain-term gate", { requireDomainTerm: false }],
    ["- accent folding", { folding: false }],
  ];
  console.log(`\n## Ablation (each row: the product with one change; all sets together)\n`);
  console.log(HEADER);
  console.log(row("all sets", "product", summarise(all(product))));
  for (const [name, opts] of variants) {
    const v = await KnowledgeBase.open(config, { logger, store, embedder: kb.embedder, retrieval: opts });
    const outs: Outcome[] = [];
    for (const s of sets) outs.push(...(await evaluate(v, s.items)));
    console.log(row("", name, summarise(outs)));
  }

  // How often the sentence in bold holds the answer, where the answer was quoted.
  let found = 0;
  let holds = 0;
  for (const s of sets)
    for (const item of s.items) {
      if (!item.answer_quote) continue;
      const r = await kb.search(item.question, { k: 5 });
      const rank = hitRank(item.answer_quote, r.passages);
      if (r.mode !== "answer" || rank !== 1) continue;
      found++;
      if (highlightHolds(bestSentence(item.question, r.passages[0]!.text), item.answer_quote)) holds++;
    }
  console.log(`\nsentence in bold holds the answer: ${holds}/${found} right answers (${found ? ((100 * holds) / found).toFixed(1) : "-"}%)`);

  const questions = sets.flatMap((s) => s.items.map((d) => d.question));
  await taughtRow(kb, store.sqlite);
  const lat = await latency(kb, questions, 5);
  console.log(`\n## Speed at corpus scale (${passages} passages)\n`);
  console.log(`ask latency, warm, ${lat.n} searches: p50 ${lat.p50.toFixed(2)} ms, p95 ${lat.p95.toFixed(2)} ms`);
  console.log(`ingest: ${ingestMs.toFixed(0)} ms; peak RSS so far: ${maxRssMb().toFixed(0)} MB`);
  await kb.close();
  await store.close();

  if (quick) {
    console.log("\n(--quick: synthetic scale part skipped)");
    fs.rmSync(config.DATA_DIR, { recursive: true, force: true });
    return;
  }

  // ---------------------------------------------------------------- synthetic scale
  console.log(`\n## Synthetic scale: ${SCALE.toLocaleString("en")} passages + the corpus\n`);
  const big = tempConfig("scale");
  const bigStore = await openStore(big);
  const texts = await (async () => {
    const s = await openStore(config);
    const t = s.sqlite.prepare("SELECT text FROM Passage").pluck().all() as string[];
    await s.close();
    return t;
  })();
  const docs = syntheticDocuments(texts, SCALE);
  const b0 = performance.now();
  const bigKb = await KnowledgeBase.open(big, { logger, store: bigStore });
  await ingestCorpus(corpusDir, bigKb);
  await bigKb.syncQuestions(questionFiles);
  await bigKb.upsertAll(docs);
  const buildMs = performance.now() - b0;
  const bigPassages = bigStore.sqlite.prepare("SELECT count(*) FROM Passage").pluck().get() as number;
  console.log(`build (store + FTS5 + vectors + questions, ${bigPassages} passages): ${(buildMs / 1000).toFixed(1)} s`);
  const reopen0 = performance.now();
  await bigKb.close();
  const bigKb2 = await KnowledgeBase.open(big, { logger, store: bigStore });
  console.log(`reopen (load saved vector index): ${(performance.now() - reopen0).toFixed(0)} ms`);
  const bigLat = await latency(bigKb2, questions, 2);
  const bigFigures = summarise(all(new Map(await Promise.all(sets.map(async (s) => [s.name, await evaluate(bigKb2, s.items)] as const)))));
  console.log(`ask latency, warm, ${bigLat.n} searches: p50 ${bigLat.p50.toFixed(2)} ms, p95 ${bigLat.p95.toFixed(2)} ms`);
  console.log(`first sight of each question after reopening (cold caches), ${questions.length} searches: p50 ${bigLat.firstP50.toFixed(2)} ms, p95 ${bigLat.firstP95.toFixed(2)} ms`);
  console.log(HEADER);
  console.log(row("all sets", `with ${SCALE.toLocaleString("en")} distractors`, bigFigures));
  console.log(`peak RSS (whole run): ${maxRssMb().toFixed(0)} MB`);
  await bigKb2.close();
  await bigStore.close();
  for (const c of [config, big]) fs.rmSync(c.DATA_DIR, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
