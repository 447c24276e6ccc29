/**
 * Retrieval benchmark: `npm run bench:retrieval [-- --quick]`.
 *
 * Ingests ../shared/corpus into a fresh temp store and reports, on ../shared/eval/dev.jsonl:
 * hit@1/3/5 and MRR@5 (hit: answer_quote, white space collapsed, inside the first 1,200
 * characters of a returned passage), abstentions on unanswerable questions, false
 * abstentions; a plain BM25 baseline (accented column, no folding, synonyms or vectors) over
 * the same passages; an ablation of each technique; the abstention calibration grid; warm
 * latency, ingest time and peak RSS; how often the sentence put in bold holds the answer. `--questions file.jsonl` (repeatable) adds the same figures and
 * ablation rows for another question set (e.g. a private validation set). Without --quick, also a synthetic 100,000-passage
 * store: build time, p95 latency, RSS.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { loadConfig, PROJECT_ROOT, type Config } from "../core/config.js";
import { openStore, type Store } from "../core/db/store.js";
import { createCliLogger } from "../core/logger.js";
import { KnowledgeBase } from "../core/knowledge/knowledge-base.js";
import { plainBm25 } from "../core/search/lexical-index.js";
import { DEFAULT_RETRIEVER_OPTIONS, type RetrieverOptions } from "../core/search/retriever.js";
import { ingestCorpus } from "./corpus.js";
import { f3, highlightHolds, hitRank, pct, percentile, readDevSet, summarise, type DevItem, type Figures, type Outcome } from "./retrieval-eval.js";
import { bestSentence } from "../core/search/answer.js";
import { syntheticDocuments } from "./synthetic.js";

const quick = process.argv.includes("--quick");
const SCALE = Number(process.env.BENCH_SCALE ?? 100_000);
const shared = path.join(PROJECT_ROOT, "..", "shared");
const corpusDir = path.join(shared, "corpus");
const dev = readDevSet(path.join(shared, "eval", "dev.jsonl"));
/** Extra question sets (`--questions file.jsonl`, repeatable), e.g. a private validation set kept outside the repository. */
const extraSets = process.argv.flatMap((a, i) => (a === "--questions" && process.argv[i + 1] ? [process.argv[i + 1]!] : [])).map((file) => ({ name: path.basename(file), items: readDevSet(file) }));
const maxRssMb = () => process.resourceUsage().maxRSS / 1024;

function tempConfig(tag: string): Config {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sotay-bench-${tag}-`));
  return loadConfig({ DATA_DIR: dir, LOG_LEVEL: "warn", MODELS_DIR: process.env.MODELS_DIR ?? path.join(dir, "models") });
}

async function evaluate(kb: KnowledgeBase, items: DevItem[]): Promise<{ outcomes: Outcome[]; raw: Awaited<ReturnType<KnowledgeBase["retrieve"]>>[] }> {
  const outcomes: Outcome[] = [];
  const raw = [];
  for (const item of items) {
    const r = await kb.retrieve(item.question, 5);
    raw.push(r);
    outcomes.push({ item, rank: item.answer_quote ? hitRank(item.answer_quote, r.hits) : 0, answered: r.answered, coverage: r.topCoverage });
  }
  return { outcomes, raw };
}

/** "bold sentence holds the answer" over the questions whose answer was found in the top 5. */
function highlightLine(run: Awaited<ReturnType<typeof evaluate>>): string {
  let found = 0;
  let holds = 0;
  run.outcomes.forEach((o, i) => {
    if (!o.item.answer_quote || o.rank < 1) return;
    found++;
    if (highlightHolds(bestSentence(o.item.question, run.raw[i]!.hits[o.rank - 1]!.text), o.item.answer_quote)) holds++;
  });
  return `sentence in bold holds the answer: ${holds}/${found} found answers (${found ? ((100 * holds) / found).toFixed(1) : "-"}%)`;
}

function row(name: string, f: Figures, abstains = true): string {
  return `${name.padEnd(34)} ${pct(f.hit1)} ${pct(f.hit3)} ${pct(f.hit5)} ${f3(f.mrr5)} ${abstains ? pct(f.abstained) : "    n/a"} ${abstains ? pct(f.falseAbstentions) : "    n/a"}`;
}
const HEADER = `${"variant".padEnd(34)}   hit@1   hit@3   hit@5  MRR@5 abstain  false-abst`;

async function latency(kb: KnowledgeBase, questions: string[], rounds: number): Promise<{ p50: number; p95: number; n: number; firstP50: number; firstP95: number }> {
  // The warm-up pass is timed too: on a freshly opened knowledge base it is each question's
  // first sight (statistics and passage caches empty), the cost of a question nobody asked yet.
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

async function main() {
  const logger = createCliLogger({ LOG_LEVEL: "warn" });
  console.log(`# Retrieval benchmark (${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} cores)`);
  console.log(`dev set: ${dev.length} questions (${dev.filter((d) => d.answer_quote).length} answerable, ${dev.filter((d) => !d.answer_quote).length} unanswerable)\n`);

  // ---------------------------------------------------------------- corpus scale
  const config = tempConfig("corpus");
  const store = await openStore(config);
  const t0 = performance.now();
  const kb = await KnowledgeBase.open(config, { logger, store });
  const ingestPath = await ingestCorpus(corpusDir, kb);
  const ingestMs = performance.now() - t0;
  const passages = (store.sqlite.prepare("SELECT count(*) AS n FROM Passage").get() as { n: number }).n;
  console.log(`corpus: ${(await kb.list()).length} documents, ${passages} passages via ${ingestPath}; embedder ${kb.embedder.id}`);
  console.log(`ingest (open + parse + chunk + store + index): ${ingestMs.toFixed(0)} ms\n`);

  const full = await evaluate(kb, dev);
  const fullFigures = summarise(full.outcomes);

  // Plain BM25 baseline over the same passages.
  const textOf = store.sqlite.prepare("SELECT text FROM Passage WHERE id = ?").pluck();
  const baseline: Outcome[] = dev.map((item) => {
    const ids = plainBm25(store.sqlite, item.question, 5);
    const texts = ids.map((id) => ({ text: textOf.get(id) as string }));
    return { item, rank: item.answer_quote ? hitRank(item.answer_quote, texts) : 0, answered: ids.length > 0, coverage: 0 };
  });

  console.log("## Results on dev.jsonl\n");
  console.log(HEADER);
  console.log(row("hybrid (product default)", fullFigures));
  console.log(row("plain BM25 baseline", summarise(baseline), true));
  console.log(highlightLine(full));
  const baselineOf = (items: DevItem[]) =>
    summarise(
      items.map((item) => {
        const ids = plainBm25(store.sqlite, item.question, 5);
        const texts = ids.map((id) => ({ text: textOf.get(id) as string }));
        return { item, rank: item.answer_quote ? hitRank(item.answer_quote, texts) : 0, answered: ids.length > 0, coverage: 0 };
      }),
    );
  for (const set of extraSets) {
    const n = set.items.filter((d) => d.answer_quote).length;
    console.log(`\n## Results on ${set.name} (${set.items.length} questions: ${n} answerable, ${set.items.length - n} unanswerable)\n`);
    console.log(HEADER);
    const run = await evaluate(kb, set.items);
    console.log(row("hybrid (product default)", summarise(run.outcomes)));
    console.log(row("plain BM25 baseline", baselineOf(set.items)));
    console.log(highlightLine(run));
  }

  // Ablation: the same store, one technique off at a time.
  const variants: [string, Partial<RetrieverOptions>][] = [
    ["- vectors (lexical only)", { vectors: false }],
    ["- synonyms", { synonyms: false }],
    ["- syllable pairs (bigrams)", { bigrams: false }],
    ["- answer-type feature", { answerType: false }],
    ["- passage-subject (lead) feature", { weights: { ...DEFAULT_RETRIEVER_OPTIONS.weights, lead: 0 } }],
    ["weights before the fit (Nov 2026)", { weights: { first: 0.3, coverage: 0.3, pairs: 0.1, accents: 0.05, answerType: 0.1, count: 0.1, lead: 0, length: 0.04 } }],
    ["- counted-thing feature", { weights: { ...DEFAULT_RETRIEVER_OPTIONS.weights, count: 0 } }],
    ["- long-passage length penalty", { weights: { ...DEFAULT_RETRIEVER_OPTIONS.weights, length: 0 } }],
    ["- answer-type abstention", { requireAnswerType: false }],
    ["+ novel-compound abstention (0.45)", { maxNovelPairs: 0.45 }],
    ["- rare-missing-word abstention", { maxMissingIdf: Infinity }],
    ["- domain-term gate", { requireDomainTerm: false }],
    ["abstention as before (coverage 0.5, rare 0.7)", { minCoverage: 0.5, maxMissingIdf: 0.7 }],
    ["unknown words at full idf in coverage", { unknownWordWeight: 1 }],
    ["- rerank (fused rank only)", { rerank: false }],
    ["- accent folding", { folding: false }],
    ["rerank on fused rank, not BM25", { lexicalScore: false }],
    ["vectors at half weight", { vectorWeight: 0.5 }],
  ];
  console.log("\n## Ablation (each row: product default with one change)\n");
  console.log(HEADER);
  console.log(row("product default", fullFigures));
  for (const [name, opts] of variants) {
    const v = await KnowledgeBase.open(config, { logger, store, embedder: kb.embedder, retrieval: opts });
    console.log(row(name, summarise((await evaluate(v, dev)).outcomes)));
    for (const set of extraSets) console.log(row(`  (on ${set.name})`, summarise((await evaluate(v, set.items)).outcomes)));
  }

  // Abstention calibration grid (answered = coverage ≥ c and no rare word missing above m, with the product's other rules).
  console.log("\n## Abstention calibration on dev (abstained unanswerable / false abstentions)\n");
  const covs = [0.3, 0.35, 0.4, 0.5, 0.6];
  const rares = [0.5, 0.55, 0.6, 0.65, 0.7, 0.8, Infinity];
  console.log(`${"minCoverage \\ maxMissingIdf".padEnd(28)}${rares.map((r) => String(r).padStart(14)).join("")}`);
  for (const c of covs) {
    const cells = rares.map((m) => {
      const outs = full.outcomes.map((o, i) => ({ ...o, answered: full.raw[i]!.inDomain && full.raw[i]!.hits.length > 0 && full.raw[i]!.topCoverage >= c && full.raw[i]!.missingRare < m && full.raw[i]!.typeFound && full.raw[i]!.novelPairs <= DEFAULT_RETRIEVER_OPTIONS.maxNovelPairs }));
      const f = summarise(outs);
      return `${(100 * f.abstained).toFixed(0)}%/${(100 * f.falseAbstentions).toFixed(0)}%`.padStart(14);
    });
    console.log(`${String(c).padEnd(28)}${cells.join("")}`);
  }
  console.log(`(all cells also apply the answer-type rule; product default: minCoverage ${DEFAULT_RETRIEVER_OPTIONS.minCoverage}, maxMissingIdf ${DEFAULT_RETRIEVER_OPTIONS.maxMissingIdf})`);

  console.log("\n## Per question (product default)\n");
  for (const [i, o] of full.outcomes.entries()) {
    const r = full.raw[i]!;
    const mark = o.item.answer_quote ? (o.rank ? `rank ${o.rank}` : "miss  ") : "unans.";
    console.log(`${o.item.id.padEnd(5)} ${mark.padEnd(7)} ${o.answered ? "answered " : "abstained"} cov ${r.topCoverage.toFixed(2)} rare ${r.missingRare.toFixed(2)} novel ${r.novelPairs.toFixed(2)} type ${r.typeFound ? "ok" : "--"}  ${o.item.question.slice(0, 70)}`);
  }

  const lat = await latency(kb, dev.map((d) => d.question), 10);
  const corpusRss = maxRssMb();
  console.log(`\n## Speed at corpus scale (${passages} passages)\n`);
  console.log(`ask latency, warm, ${lat.n} searches: p50 ${lat.p50.toFixed(2)} ms, p95 ${lat.p95.toFixed(2)} ms`);
  console.log(`ingest: ${ingestMs.toFixed(0)} ms; peak RSS so far: ${corpusRss.toFixed(0)} MB`);
  await kb.close();
  await store.close();

  if (quick) {
    console.log("\n(--quick: synthetic scale part skipped)");
    return;
  }

  // ---------------------------------------------------------------- synthetic scale
  console.log(`\n## Synthetic scale: ${SCALE.toLocaleString("en")} passages + the corpus\n`);
  const big = tempConfig("scale");
  const bigStore = await openStore(big);
  const texts = (await (async () => {
    const s = await openStore(config);
    const t = s.sqlite.prepare("SELECT text FROM Passage").pluck().all() as string[];
    await s.close();
    return t;
  })());
  const docs = syntheticDocuments(texts, SCALE);
  const b0 = performance.now();
  const bigKb = await KnowledgeBase.open(big, { logger, store: bigStore });
  await ingestCorpus(corpusDir, bigKb);
  await bigKb.upsertAll(docs);
  const buildMs = performance.now() - b0;
  const bigPassages = (bigStore.sqlite.prepare("SELECT count(*) AS n FROM Passage").get() as { n: number }).n;
  console.log(`build (store + FTS5 + vectors, ${bigPassages} passages): ${(buildMs / 1000).toFixed(1)} s`);
  const reopen0 = performance.now();
  await bigKb.close();
  const bigKb2 = await KnowledgeBase.open(big, { logger, store: bigStore });
  console.log(`reopen (load saved vector index): ${(performance.now() - reopen0).toFixed(0)} ms`);
  const bigLat = await latency(bigKb2, dev.map((d) => d.question), 3);
  const bigEval = summarise((await evaluate(bigKb2, dev)).outcomes);
  console.log(`ask latency, warm, ${bigLat.n} searches: p50 ${bigLat.p50.toFixed(2)} ms, p95 ${bigLat.p95.toFixed(2)} ms`);
  console.log(`first sight of each question after reopening (cold caches), ${dev.length} searches: p50 ${bigLat.firstP50.toFixed(2)} ms, p95 ${bigLat.firstP95.toFixed(2)} ms`);
  console.log(`dev figures with ${SCALE.toLocaleString("en")} distractor passages: hit@1 ${pct(bigEval.hit1)}, hit@3 ${pct(bigEval.hit3)}, hit@5 ${pct(bigEval.hit5)}`);
  console.log(`peak RSS (whole run): ${maxRssMb().toFixed(0)} MB`);
  await bigKb2.close();
  await bigStore.close();
  for (const c of [config, big]) fs.rmSync(c.DATA_DIR, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
