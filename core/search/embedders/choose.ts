/**
 * Picks the embedder for this process: the configured transformers model when its folder
 * is present (or downloads are allowed), otherwise the built-in hashing embedder, said
 * once in the log so operators know why answers come from the fallback.
 */
import type { Logger } from "pino";
import type { Config } from "../../config.js";
import type { Embedder } from "./embedder.js";
import { HashingEmbedder } from "./hashing.js";
import { TransformersEmbedder, localModelPresent } from "./transformers.js";

/** Returns the transformers embedder when usable, else the hashing embedder (one log line). */
export async function chooseEmbedder(
  config: Pick<Config, "MODELS_DIR" | "EMBEDDING_MODEL" | "ALLOW_MODEL_DOWNLOAD">,
  logger: Logger,
): Promise<Embedder> {
  const present = localModelPresent(config.MODELS_DIR, config.EMBEDDING_MODEL);
  if (present || config.ALLOW_MODEL_DOWNLOAD) {
    try {
      const e = await TransformersEmbedder.load({
        modelsDir: config.MODELS_DIR,
        model: config.EMBEDDING_MODEL,
        allowDownload: config.ALLOW_MODEL_DOWNLOAD,
      });
      logger.info({ embedder: e.id }, "embedding model loaded");
      return e;
    } catch (err) {
      logger.warn({ err: (err as Error).message, model: config.EMBEDDING_MODEL }, "embedding model could not be loaded; using the built-in hashing embedder");
      return new HashingEmbedder();
    }
  }
  logger.info(
    { modelsDir: config.MODELS_DIR, model: config.EMBEDDING_MODEL },
    "no embedding model in MODELS_DIR (run `npm run model:fetch` where internet is available); using the built-in hashing embedder",
  );
  return new HashingEmbedder();
}
