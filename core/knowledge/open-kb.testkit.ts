/**
 * Knowledge bases a test opens on a real store, with the log lines each one wrote;
 * `closeKnowledgeBases` (the tests' afterEach) closes them and their stores. Test support only.
 *
 *   afterEach(closeKnowledgeBases);
 *   const { kb, store, lines } = await openTestKnowledgeBase(config, { vectorThreadPassages: 1 });
 */
import { Writable } from "node:stream";
import type { Config } from "../config.js";
import { openStore, type Store } from "../db/store.js";
import { createLogger } from "../logger.js";
import { HashingEmbedder } from "../search/embedders/hashing.js";
import { KnowledgeBase, type KnowledgeBaseOptions } from "./knowledge-base.js";

const opened: { kb: KnowledgeBase; store: Store }[] = [];

/** Opens a store and a knowledge base on it (the hashing embedder unless given one). */
export async function openTestKnowledgeBase(
  config: Config,
  options: Omit<KnowledgeBaseOptions, "logger" | "store"> = {},
): Promise<{ kb: KnowledgeBase; store: Store; lines: string[] }> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const store = await openStore(config);
  const kb = await KnowledgeBase.open(config, { embedder: new HashingEmbedder(), ...options, logger: createLogger(config, sink), store });
  opened.push({ kb, store });
  return { kb, store, lines };
}

/** Closes every knowledge base and store opened since the last call, newest first. */
export async function closeKnowledgeBases(): Promise<void> {
  while (opened.length) {
    const { kb, store } = opened.pop()!;
    await kb.close();
    await store.close();
  }
}
