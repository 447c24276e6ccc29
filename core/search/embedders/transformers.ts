/**
 * Sentence embeddings with transformers.js from a local models folder
 * (`<MODELS_DIR>/<model id>/{config.json, tokenizer.json, onnx/model_quantized.onnx}`),
 * mean-pooled and normalised. E5 models want "query: " / "passage: " prefixes.
 *
 *   const e = await TransformersEmbedder.load({ modelsDir, model: "Xenova/multilingual-e5-small", allowDownload: false });
 *   const [v] = await e.embed(["vào Đảng"], "query");
 */
import fs from "node:fs";
import path from "node:path";
import type { EmbedKind, Embedder } from "./embedder.js";

export interface TransformersOptions {
  modelsDir: string;
  /** Hub id, also the sub-folder of modelsDir, e.g. "Xenova/multilingual-e5-small". */
  model: string;
  allowDownload: boolean;
  /** Prefix texts with "query: " / "passage: " (default: when the model id contains "e5"). */
  prefixes?: boolean;
  /** Load onnx/model_quantized.onnx (default) or onnx/model.onnx. */
  quantized?: boolean;
}

/** Whether a usable model folder is present (config, tokenizer and an ONNX file). */
export function localModelPresent(modelsDir: string, model: string): boolean {
  const dir = path.join(modelsDir, model);
  return (
    fs.existsSync(path.join(dir, "config.json")) &&
    fs.existsSync(path.join(dir, "tokenizer.json")) &&
    (fs.existsSync(path.join(dir, "onnx", "model_quantized.onnx")) || fs.existsSync(path.join(dir, "onnx", "model.onnx")))
  );
}

type Extractor = (texts: string[], opts: { pooling: "mean"; normalize: boolean }) => Promise<{ data: Float32Array; dims: number[] }>;

export class TransformersEmbedder implements Embedder {
  private constructor(
    readonly id: string,
    readonly dimension: number,
    private readonly extractor: Extractor,
    private readonly prefixes: boolean,
  ) {}

  /** Loads the model once (a few hundred ms for e5-small) and probes its dimension. */
  static async load(opts: TransformersOptions): Promise<TransformersEmbedder> {
    const { env, pipeline } = await import("@xenova/transformers");
    env.allowRemoteModels = opts.allowDownload;
    env.allowLocalModels = true;
    env.localModelPath = opts.modelsDir.endsWith(path.sep) ? opts.modelsDir : opts.modelsDir + path.sep;
    env.cacheDir = opts.modelsDir;
    const quantized = opts.quantized ?? fs.existsSync(path.join(opts.modelsDir, opts.model, "onnx", "model_quantized.onnx"));
    const extractor = (await pipeline("feature-extraction", opts.model, { quantized })) as unknown as Extractor;
    const prefixes = opts.prefixes ?? /e5/i.test(opts.model);
    const probe = await extractor(["probe"], { pooling: "mean", normalize: true });
    const dimension = probe.dims[probe.dims.length - 1]!;
    return new TransformersEmbedder(`transformers:${opts.model}:${quantized ? "q" : "f"}:${dimension}`, dimension, extractor, prefixes);
  }

  async embed(texts: string[], kind: EmbedKind): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    const batch = 16;
    for (let i = 0; i < texts.length; i += batch) {
      const slice = texts.slice(i, i + batch).map((t) => (this.prefixes ? `${kind}: ${t}` : t));
      const result = await this.extractor(slice, { pooling: "mean", normalize: true });
      for (let j = 0; j < slice.length; j++) out.push(result.data.slice(j * this.dimension, (j + 1) * this.dimension));
    }
    return out;
  }
}
