/**
 * Downloads the sentence-embedding model into MODELS_DIR once, on a machine with internet:
 *
 *   npm run model:fetch                       # EMBEDDING_MODEL, default Xenova/multilingual-e5-small
 *   MODELS_DIR=/srv/models npm run model:fetch
 *
 * Without internet it fails with a clear message; the product then keeps using its built-in
 * hashing embedder. After a successful fetch, the next start rebuilds the vector index.
 */
import fs from "node:fs";
import path from "node:path";
import { loadConfig } from "../core/config.js";
import { TransformersEmbedder, localModelPresent } from "../core/search/embedders/transformers.js";

const HUB = process.env.HF_ENDPOINT ?? "https://huggingface.co";

async function hubReachable(timeoutMs = 10_000): Promise<string | undefined> {
  try {
    const res = await fetch(HUB, { method: "HEAD", signal: AbortSignal.timeout(timeoutMs) });
    return res.status < 500 ? undefined : `HTTP ${res.status}`;
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? (err as Error).message;
  }
}

async function main(): Promise<number> {
  const config = loadConfig();
  const target = path.join(config.MODELS_DIR, config.EMBEDDING_MODEL);
  if (localModelPresent(config.MODELS_DIR, config.EMBEDDING_MODEL)) {
    console.log(`Model already present in ${target}; nothing to do.`);
    return 0;
  }
  const problem = await hubReachable();
  if (problem) {
    console.error(
      [
        `Cannot download ${config.EMBEDDING_MODEL}: ${HUB} is not reachable from this machine (${problem}).`,
        `Either run \`npm run model:fetch\` on a machine with internet and copy ${target} here,`,
        `or keep going without it: search then uses the built-in hashing embedder (no download needed).`,
      ].join("\n"),
    );
    return 1;
  }
  fs.mkdirSync(config.MODELS_DIR, { recursive: true });
  console.log(`Downloading ${config.EMBEDDING_MODEL} into ${target} ...`);
  const embedder = await TransformersEmbedder.load({ modelsDir: config.MODELS_DIR, model: config.EMBEDDING_MODEL, allowDownload: true });
  if (!localModelPresent(config.MODELS_DIR, config.EMBEDDING_MODEL)) {
    console.error(`The model loaded but its files are not in ${target}; check MODELS_DIR permissions.`);
    return 1;
  }
  console.log(`Done: ${embedder.id} (${embedder.dimension} dimensions). Restart the server or run ingest: the vector index is rebuilt on open.`);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    console.error(`model:fetch failed: ${(err as Error).message}`);
    process.exitCode = 1;
  },
);
