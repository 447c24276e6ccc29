// Dev-loop helper: ingest the corpus once into a temp store (or reuse QDIR) and print per-question
// ranks and the summary. `tsx bench/quick-eval.ts [--questions file.jsonl ...] [--quiet]` (default: the dev set).
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../core/config.js";
import { ingestCorpus } from "./corpus.js";
import { openDevKnowledgeBase, optsFromEnv } from "./dev-store.js";
import { hitRank, readDevSet, summarise, type Outcome } from "./retrieval-eval.js";
const shared = path.join(PROJECT_ROOT, "..", "shared");
const files: string[] = [];
process.argv.forEach((a, i) => a === "--questions" && files.push(process.argv[i + 1]!));
if (!files.length) files.push(path.join(shared, "eval", "dev.jsonl"));
const quiet = process.argv.includes("--quiet");
const dir = process.env.QDIR ?? fs.mkdtempSync("/tmp/kbq-");
const { kb, close } = await openDevKnowledgeBase(dir, optsFromEnv(), process.env.SYNONYMS_FILE ? { SYNONYMS_FILE: process.env.SYNONYMS_FILE } : {});
if (await kb.isEmpty()) console.log(await ingestCorpus(path.join(shared, "corpus"), kb));
for (const file of files) {
  const outs: Outcome[] = [];
  for (const item of readDevSet(file)) {
    const r = await kb.retrieve(item.question, 5);
    const rank = item.answer_quote ? hitRank(item.answer_quote, r.hits) : 0;
    outs.push({ item, rank, answered: r.answered, coverage: r.topCoverage });
    const bad = item.answer_quote ? rank !== 1 || !r.answered : r.answered;
    if (!quiet || bad)
      console.log(item.id, rank, r.answered ? "A" : "-", r.topCoverage.toFixed(2), "rare", r.missingRare.toFixed(2), item.question.slice(0, 60), "|", r.missing.map((m) => `${m.word}:${m.idf.toFixed(1)}`).join(" "));
  }
  const f = summarise(outs);
  const p = (x: number) => (100 * x).toFixed(1);
  console.log(`${path.basename(file)} n=${outs.length} (${f.answerable}+${f.unanswerable}): hit@1 ${p(f.hit1)} hit@3 ${p(f.hit3)} hit@5 ${p(f.hit5)} MRR ${f.mrr5.toFixed(3)} abstain ${p(f.abstained)} false-abst ${p(f.falseAbstentions)}`);
}
console.log(dir);
await close();
