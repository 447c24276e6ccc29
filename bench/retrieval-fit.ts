/**
 * Dev tool: are the rerank weights worth re-fitting? Random search over weight vectors,
 * scored by MRR@5 on the answerable questions, with 5-fold cross-validation (the weights
 * picked on four folds are scored on the fifth) against the product defaults.
 *
 *   QDIR=<store with the corpus ingested, e.g. from quick-eval> npx tsx bench/retrieval-fit.ts [--questions f.jsonl ...]
 */
import path from "node:path";
import { loadConfig, PROJECT_ROOT } from "../core/config.js";
import { openStore } from "../core/db/store.js";
import { createCliLogger } from "../core/logger.js";
import { KnowledgeBase } from "../core/knowledge/knowledge-base.js";
import { DEFAULT_RETRIEVER_OPTIONS } from "../core/search/retriever.js";
import { hitRank, readDevSet } from "../bench/retrieval-eval.js";
const config = loadConfig({ DATA_DIR: process.env.QDIR!, LOG_LEVEL: "warn" });
const store = await openStore(config);
const logger = createCliLogger(config);
const files = process.argv.flatMap((a, i) => (a === "--questions" && process.argv[i + 1] ? [process.argv[i + 1]!] : []));
if (!files.length) files.push(path.join(PROJECT_ROOT, "..", "shared", "eval", "dev.jsonl"));
const sets = files.map((f) => readDevSet(f).filter((i) => i.answer_quote));
const items = sets.flat();
const base = await KnowledgeBase.open(config, { logger, store });
let seed = 7; const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const D = DEFAULT_RETRIEVER_OPTIONS.weights;
const configs: (typeof D)[] = [{ ...D }];
for (let i = 0; i < Number(process.env.N ?? 150); i++) configs.push({ ...D, first: rnd() * 0.6, coverage: rnd() * 0.6, pairs: rnd() * 0.4, accents: rnd() * 0.2, answerType: rnd() * 0.2 });
const rr: number[][] = [];
for (const w of configs) {
  const kb = await KnowledgeBase.open(config, { logger, store, embedder: base.embedder, retrieval: { weights: w } });
  const row: number[] = [];
  for (const it of items) { const r = await kb.retrieve(it.question, 5); const k = hitRank(it.answer_quote!, r.hits); row.push(k ? 1 / k : 0); }
  rr.push(row);
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const score = (c: number, idx: number[]) => mean(idx.map((i) => rr[c]![i]!));
const all = items.map((_, i) => i);
// 5-fold CV, interleaved folds so every set is spread over all folds.
const K = 5; let cvSel = 0, cvDef = 0; const chosen: number[] = [];
for (let f = 0; f < K; f++) {
  const test = all.filter((i) => i % K === f), train = all.filter((i) => i % K !== f);
  let best = 0; for (let c = 1; c < configs.length; c++) if (score(c, train) > score(best, train) + 1e-9) best = c;
  chosen.push(best); cvSel += score(best, test) * test.length; cvDef += score(0, test) * test.length;
}
console.log(`CV MRR@5: selected ${(cvSel / all.length).toFixed(3)} vs default ${(cvDef / all.length).toFixed(3)}; chosen per fold ${chosen.join(",")}`);
const order = configs.map((_, c) => c).sort((a, b) => score(b, all) - score(a, all));
const h1 = (c: number, idx: number[]) => idx.filter((i) => rr[c]![i] === 1).length / idx.length;
let offset = 0;
const ranges = sets.map((s, i) => { const idx = all.slice(offset, offset + s.length); offset += s.length; return { name: path.basename(files[i]!), idx }; });
for (const c of [0, ...order.slice(0, 8)])
  console.log(c === 0 ? "default" : `#${c}`, `all ${score(c, all).toFixed(3)}`, ranges.map((r) => `${r.name} mrr ${score(c, r.idx).toFixed(3)} h1 ${h1(c, r.idx).toFixed(2)}`).join(" "), JSON.stringify(Object.fromEntries(Object.entries(configs[c]!).map(([k, v]) => [k, Math.round(v * 100) / 100]))));
await store.close();
