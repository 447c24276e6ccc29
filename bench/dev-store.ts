/**
 * The knowledge base the retrieval dev tool (quick-eval) works on:
 * a store in a data directory, usually QDIR, where quick-eval ingested the corpus once.
 *
 *   const { kb, close } = await openDevKnowledgeBase(requireQdir(), { synonyms: false });
 */
import { loadConfig } from "../core/config.js";
import { openStore } from "../core/db/store.js";
import { createCliLogger } from "../core/logger.js";
import { KnowledgeBase } from "../core/knowledge/knowledge-base.js";
import type { RetrieverOptions } from "../core/search/retriever.js";

/** QDIR, or a clear error when it is not set. */
export function requireQdir(): string {
  const dir = process.env.QDIR;
  if (!dir) throw new Error("Set QDIR to a store with the corpus ingested (see bench/quick-eval.ts).");
  return dir;
}

/** Retrieval switches from the OPTS environment variable (JSON), e.g. OPTS='{"synonyms":false}'. */
export function optsFromEnv(): Partial<RetrieverOptions> {
  return JSON.parse(process.env.OPTS ?? "{}");
}

/** Opens the store in `dir` and the knowledge base over it (warn-level logs); `close` closes both. */
export async function openDevKnowledgeBase(dir: string, retrieval: Partial<RetrieverOptions>, env: Record<string, string> = {}) {
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: "warn", ...env });
  const store = await openStore(config);
  const kb = await KnowledgeBase.open(config, { logger: createCliLogger(config), store, retrieval });
  return {
    kb,
    async close() {
      await kb.close();
      await store.close();
    },
  };
}
