// Dev-loop helper: ingest the corpus once into a temp store and print per-question ranks.
import fs from "node:fs";
import path from "node:path";
import { loadConfig, PROJECT_ROOT } from "../core/config.js";
import { openStore } from "../core/db/store.js";
import { createCliLogger } from "../core/logger.js";
import { KnowledgeBase } from "../core/knowledge/knowledge-base.js";
import { ingestCorpus } from "./corpus.js";
import { hitRank, readDevSet, summarise, type Outcome } from "./retrieval-eval.js";
const shared = path.join(PROJECT_ROOT, "..", "shared");
const dir = process.env.QDIR ?? fs.mkdtempSync("/tmp/kbq-");
const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: "warn" });
const store = await openStore(config);
const opts = JSON.parse(process.env.OPTS ?? "{}");
const kb = await KnowledgeBase.open(config, { logger: createCliLogger(config), store, retrieval: opts });
if (await kb.isEmpty()) console.log(await ingestCorpus(path.join(shared, "corpus"), kb));
const outs: Outcome[] = [];
for (const item of readDevSet(path.join(shared, "eval", "dev.jsonl"))) {
  const r = await kb.retrieve(item.question, 5);
  const rank = item.answer_quote ? hitRank(item.answer_quote, r.hits) : 0;
  outs.push({ item, rank, answered: r.answered, coverage: r.topCoverage });
  console.log(item.id, rank, r.answered ? "A" : "-", r.topCoverage.toFixed(2), r.topProximity.toFixed(2), "novel", r.novelPairs.toFixed(2), item.question.slice(0, 50), "|", r.missing.map((m) => `${m.word}:${m.idf.toFixed(1)}`).join(" "));
}
console.log(JSON.stringify(summarise(outs)), dir);
await kb.close(); await store.close();
