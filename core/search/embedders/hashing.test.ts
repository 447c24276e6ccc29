import { describe, expect, it } from "vitest";
import { CHARTER_LIKE } from "../../../ingest/fixture-documents.js";
import { syllables } from "../../text/vietnamese.js";
import { foldSyllable, isStopSyllable } from "../terms.js";
import { HashingEmbedder } from "./hashing.js";

/** The embedder's definition, written plainly (its implementation before the caches): saved indexes depend on it bit for bit. */
function definition(text: string, dimension: number): Float32Array {
  const fnv1a = (s: string) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
  };
  const counts = new Map<string, number>();
  const add = (f: string, w: number) => counts.set(f, (counts.get(f) ?? 0) + w);
  const syl = syllables(text);
  const folded = syl.map(foldSyllable);
  const stops = syl.map((s, i) => isStopSyllable(s, folded[i]!));
  for (let i = 0; i < syl.length; i++) {
    const f = folded[i]!;
    if (!stops[i]) {
      add(`w:${f}`, 1);
      const padded = `<${f}>`;
      if (padded.length > 4) for (let j = 0; j + 4 <= padded.length; j++) add(`c:${padded.slice(j, j + 4)}`, 0.25);
    }
    if (i > 0 && !(stops[i] && stops[i - 1])) add(`b:${folded[i - 1]} ${f}`, 1);
  }
  const v = new Float32Array(dimension);
  for (const [feature, count] of counts) {
    const h = fnv1a(feature);
    v[h % dimension]! += (h & 0x80000000 ? -1 : 1) * Math.log1p(count);
  }
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i]! * v[i]!;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

describe("the hashing embedder's caches", () => {
  const texts = [
    ...CHARTER_LIKE.split("\n").filter((l) => l.trim()),
    CHARTER_LIKE,
    "Bao nhiêu tuổi thì được vào Đảng?",
    "bao nhieu tuoi thi duoc vao dang",
    "Đảng viên, đảng viên; ĐẢNG VIÊN — uỷ ban, ủy ban, hoà, hòa 1.000 đồng 36 tháng",
    "",
    "của và là thì",
  ];

  it("give exactly the vectors of its definition, in any order and on repeated texts", async () => {
    for (const dimension of [256, 64]) {
      const embedder = new HashingEmbedder(dimension);
      const vectors = await embedder.embed([...texts, ...texts.slice().reverse()], "passage");
      [...texts, ...texts.slice().reverse()].forEach((text, i) => expect(vectors[i]).toEqual(definition(text, dimension)));
    }
  });
});
