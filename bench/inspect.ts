// Dev-loop helper: for each question (argv), print its query terms, the abstention features
// and the top hits, on an existing store (QDIR, e.g. the one quick-eval builds).
//   QDIR=/tmp/store OPTS='{"synonyms":false}' npx tsx bench/inspect.ts "câu hỏi" ...
import { queryTerms } from "../core/search/terms.js";
import { openDevKnowledgeBase, optsFromEnv, requireQdir } from "./dev-store.js";

const { kb, close } = await openDevKnowledgeBase(requireQdir(), optsFromEnv());
for (const q of process.argv.slice(2)) {
  const r = await kb.retrieve(q, 8);
  console.log(`\n${r.answered ? "ANSWERED" : "ABSTAINED"}  ${q}`);
  console.log("terms:", JSON.stringify(queryTerms(q)));
  console.log(`cov ${r.topCoverage.toFixed(2)} rare ${r.missingRare.toFixed(2)} novel ${r.novelPairs.toFixed(2)} type ${r.typeFound}; missing: ${r.missing.map((m) => m.word).join(" ")}`);
  for (const h of r.hits) console.log(h.score.toFixed(3), h.passageId, h.heading.slice(0, 50), "|", h.text.slice(0, 150).replace(/\n/g, " "));
}
await close();
