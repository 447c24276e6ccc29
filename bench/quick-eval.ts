// Dev-loop helper: ingest the corpus and data/questions once into a store (QDIR, or a temp dir) and
// print the three-way reply's figures per set; `--show` also prints each question that was not a
// right answer. `tsx bench/quick-eval.ts [--questions file.jsonl ...] [--show]` (default: the dev set).
// OPTS='{"synonyms":false}' switches retrieval options; see core/search/retriever.ts.
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../core/config.js";
import { readQuestionFiles } from "../ingest/questions.js";
import { ingestCorpus } from "./corpus.js";
import { openDevKnowledgeBase, optsFromEnv } from "./dev-store.js";
import { hitRank, pct, readDevSet, summarise, type Outcome } from "./retrieval-eval.js";

const shared = path.join(PROJECT_ROOT, "..", "shared");
const files: string[] = [];
process.argv.forEach((a, i) => a === "--questions" && files.push(process.argv[i + 1]!));
if (!files.length) files.push(path.join(shared, "eval", "dev.jsonl"));
const show = process.argv.includes("--show");
const dir = process.env.QDIR ?? fs.mkdtempSync("/tmp/kbq-");
const { kb, close } = await openDevKnowledgeBase(dir, optsFromEnv());
if (await kb.isEmpty()) {
  console.log(await ingestCorpus(path.join(shared, "corpus"), kb));
  await kb.syncQuestions(readQuestionFiles(path.join(PROJECT_ROOT, "data", "questions")));
}
for (const file of files) {
  const outs: Outcome[] = [];
  for (const item of readDevSet(file)) {
    const r = await kb.search(item.question, { k: 5 });
    const rank = item.answer_quote ? hitRank(item.answer_quote, r.passages) : 0;
    const offeredRight = !!item.answer_quote && r.mode === "choices" && hitRank(item.answer_quote, r.passages.slice(0, r.offered)) > 0;
    outs.push({ item, rank, mode: r.mode, offeredRight });
    const right = item.answer_quote ? (r.mode === "answer" && rank === 1) || offeredRight : r.mode === "none";
    if (show && !right) console.log(item.id, r.mode, `rank ${rank}`, item.question.slice(0, 80));
  }
  const f = summarise(outs);
  console.log(`${path.basename(file)} (${f.answerable}+${f.unanswerable}): one-tap ${pct(f.oneTap)} conf-wrong ${pct(f.wrong)} coverage ${pct(f.coverage)} | unans answer ${pct(f.unanswerableAnswered)} none ${pct(f.unanswerableNone)} | hit@1 ${pct(f.hit1)} hit@3 ${pct(f.hit3)}`);
}
console.log(dir);
await close();
