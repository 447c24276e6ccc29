// Dev-loop helper: for each question (argv), print its query terms, the abstention features
// and the top hits, on an existing store (QDIR, e.g. the one quick-eval builds).
//   QDIR=/tmp/store OPTS='{"synonyms":false}' npx tsx bench/inspect.ts "câu hỏi" ...
import { loadConfig } from "../core/config.js";
import { openStore } from "../core/db/store.js";
import { createCliLogger } from "../core/logger.js";
import { KnowledgeBase } from "../core/knowledge/knowledge-base.js";
import { queryTerms } from "../core/search/terms.js";

if (!process.env.QDIR) throw new Error("Set QDIR to a store with the corpus ingested (see bench/quick-eval.ts).");
const config = loadConfig({ DATA_DIR: process.env.QDIR, LOG_LEVEL: "warn" });
const store = await openStore(config);
const kb = await KnowledgeBase.open(config, { logger: createCliLogger(config), store, retrieval: JSON.parse(process.env.OPTS ?? "{}") });
for (const q of process.argv.slice(2)) {
  const r = await kb.retrieve(q, 8);
  console.log(`\n${r.answered ? "ANSWERED" : "ABSTAINED"}  ${q}`);
  console.log("terms:", JSON.stringify(queryTerms(q)));
  console.log(`cov ${r.topCoverage.toFixed(2)} rare ${r.missingRare.toFixed(2)} novel ${r.novelPairs.toFixed(2)} type ${r.typeFound}; missing: ${r.missing.map((m) => m.word).join(" ")}`);
  for (const h of r.hits) console.log(h.score.toFixed(3), h.passageId, h.heading.slice(0, 50), "|", h.text.slice(0, 150).replace(/\n/g, " "));
}
await kb.close();
await store.close();
