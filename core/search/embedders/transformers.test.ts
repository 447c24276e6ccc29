import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TransformersEmbedder, localModelPresent } from "./transformers.js";
import { writeTinyModel } from "./tiny-model.js";

function expectedVector(rows: number[][]): number[] {
  const mean = rows[0]!.map((_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
  const norm = Math.hypot(...mean);
  return mean.map((x) => x / norm);
}

describe("TransformersEmbedder on a hand-made model folder", () => {
  const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-models-"));
  const { vocab, embeddings } = writeTinyModel(path.join(modelsDir, "test", "tiny-bert"), 8);

  it("is detected as a present local model", () => {
    expect(localModelPresent(modelsDir, "test/tiny-bert")).toBe(true);
    expect(localModelPresent(modelsDir, "test/absent")).toBe(false);
  });

  it("tokenizes, runs the ONNX graph and mean-pools into normalised vectors", async () => {
    const e = await TransformersEmbedder.load({ modelsDir, model: "test/tiny-bert", allowDownload: false, prefixes: false });
    expect(e.dimension).toBe(8);
    expect(e.id).toContain("test/tiny-bert");
    // Two texts of different length in one batch: padding must not change the pooled mean.
    const [a, b] = await e.embed(["Kết nạp", "đảng viên sinh hoạt chi bộ"], "passage");
    const want = expectedVector([embeddings[vocab["kết"]!]!, embeddings[vocab["nạp"]!]!]);
    a!.forEach((x, i) => expect(x).toBeCloseTo(want[i]!, 4));
    expect(Math.hypot(...b!)).toBeCloseTo(1, 4);
  });

  it("adds query/passage prefixes when asked (E5 style)", async () => {
    const e = await TransformersEmbedder.load({ modelsDir, model: "test/tiny-bert", allowDownload: false, prefixes: true });
    const [q] = await e.embed(["thẻ"], "query");
    const want = expectedVector([embeddings[vocab["query"]!]!, embeddings[vocab[":"]!]!, embeddings[vocab["thẻ"]!]!]);
    q!.forEach((x, i) => expect(x).toBeCloseTo(want[i]!, 4));
  });
});
