/**
 * Writes a tiny but real transformers.js model folder (hand-made ONNX graph + WordPiece
 * tokenizer) for tests: the loading and pooling code runs for real, without downloads.
 * The graph looks up each token's row of an embedding matrix and zeroes padding:
 * last_hidden_state = Gather(E, input_ids) * attention_mask.
 *
 *   const { vocab, embeddings } = writeTinyModel(path.join(modelsDir, "test/tiny"), 8);
 */
import fs from "node:fs";
import path from "node:path";
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

/** Words of the tiny vocabulary (after the special tokens). */
export const TINY_WORDS = ["đảng", "viên", "kết", "nạp", "tuổi", "thẻ", "sinh", "hoạt", "chi", "bộ", "phí", "huy", "hiệu", "query", "passage", ":"];

/** Creates the folder; returns the vocabulary and the embedding matrix rows by token id. */
export function writeTinyModel(dir: string, dimension = 8): { vocab: Record<string, number>; embeddings: number[][] } {
  const tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", ...TINY_WORDS];
  const vocab = Object.fromEntries(tokens.map((t, i) => [t, i]));
  // Deterministic, distinct rows (a small LCG), so pooled vectors are predictable.
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const embeddings = tokens.map(() => Array.from({ length: dimension }, rand));

  const valueInfo = (name: string, elemType: number, dims: (string | number)[]) => ({
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })) } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: "sotay-tests",
    opsetImport: [{ domain: "", version: 13 }],
    graph: {
      name: "tiny-embedder",
      node: [
        { opType: "Gather", input: ["embeddings", "input_ids"], output: ["gathered"], name: "lookup" },
        { opType: "Cast", input: ["attention_mask"], output: ["mask_f"], name: "cast", attribute: [{ name: "to", type: onnx.AttributeProto.AttributeType.INT, i: onnx.TensorProto.DataType.FLOAT }] },
        { opType: "Unsqueeze", input: ["mask_f", "axes"], output: ["mask_3d"], name: "unsqueeze" },
        { opType: "Mul", input: ["gathered", "mask_3d"], output: ["last_hidden_state"], name: "mask" },
      ],
      initializer: [
        { name: "embeddings", dims: [tokens.length, dimension], dataType: onnx.TensorProto.DataType.FLOAT, floatData: embeddings.flat() },
        { name: "axes", dims: [1], dataType: onnx.TensorProto.DataType.INT64, int64Data: [2] },
      ],
      input: [valueInfo("input_ids", onnx.TensorProto.DataType.INT64, ["batch", "seq"]), valueInfo("attention_mask", onnx.TensorProto.DataType.INT64, ["batch", "seq"])],
      output: [valueInfo("last_hidden_state", onnx.TensorProto.DataType.FLOAT, ["batch", "seq", dimension])],
    },
  });
  fs.mkdirSync(path.join(dir, "onnx"), { recursive: true });
  fs.writeFileSync(path.join(dir, "onnx", "model.onnx"), onnx.ModelProto.encode(model).finish());

  const tokenizer = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]"].map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: false, lowercase: true },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: null,
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab },
  };
  fs.writeFileSync(path.join(dir, "tokenizer.json"), JSON.stringify(tokenizer));
  fs.writeFileSync(
    path.join(dir, "tokenizer_config.json"),
    JSON.stringify({ tokenizer_class: "BertTokenizer", do_lower_case: true, model_max_length: 512, pad_token: "[PAD]", unk_token: "[UNK]" }),
  );
  fs.writeFileSync(
    path.join(dir, "config.json"),
    JSON.stringify({ model_type: "bert", architectures: ["BertModel"], hidden_size: dimension, vocab_size: tokens.length }),
  );
  return { vocab, embeddings };
}
