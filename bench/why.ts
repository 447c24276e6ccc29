// Dev-loop helper: print the abstention features of questions (argv) on an existing store (QDIR).
import { loadConfig } from "../core/config.js";
import { openStore } from "../core/db/store.js";
import { createCliLogger } from "../core/logger.js";
import { KnowledgeBase } from "../core/knowledge/knowledge-base.js";
const config = loadConfig({ DATA_DIR: process.env.QDIR!, LOG_LEVEL: "warn" });
const store = await openStore(config);
const kb = await KnowledgeBase.open(config, { logger: createCliLogger(config), store });
for (const q of process.argv.slice(2)) {
  const r = await kb.retrieve(q, 3);
  console.log(r.answered ? "A" : "-", `cov ${r.topCoverage.toFixed(2)} rare ${r.missingRare.toFixed(2)} novel ${r.novelPairs.toFixed(2)} type ${r.typeFound}`, q, "|", r.missing.map((m) => m.word).join(" "), "|", r.hits[0]?.text.slice(0, 60));
}
await kb.close(); await store.close();
