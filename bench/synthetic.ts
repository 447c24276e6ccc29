/**
 * Synthetic passages for the scale benchmark: sentences of the real corpus passages
 * shuffled and recombined (seeded, so runs are comparable) into passages of up to
 * 1,200 characters, packed into documents.
 */
import type { ParsedDocument } from "../core/knowledge/types.js";

/** Small seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` synthetic passages in documents of `perDoc` passages each. */
export function syntheticDocuments(sourceTexts: string[], count: number, perDoc = 2000, seed = 42): ParsedDocument[] {
  const sentences = sourceTexts.flatMap((t) => t.split(/(?<=[.;:])\s+|\n+/)).map((s) => s.trim()).filter((s) => s.length > 20);
  const random = rng(seed);
  const docs: ParsedDocument[] = [];
  for (let d = 0; d * perDoc < count; d++) {
    const passages = [];
    for (let i = 0; i < perDoc && d * perDoc + i < count; i++) {
      let text = "";
      const want = 300 + Math.floor(random() * 800);
      while (text.length < want) {
        const s = sentences[Math.floor(random() * sentences.length)]!;
        if (text.length + s.length + 1 > 1200) break;
        text += (text ? " " : "") + s;
      }
      passages.push({ heading: `Tài liệu tổng hợp ${d + 1} › Mục ${i + 1}`, text: text || sentences[0]! });
    }
    docs.push({
      source: `synthetic-${String(d + 1).padStart(3, "0")}.txt`,
      path: `/synthetic/${d + 1}`,
      sha256: `synthetic-${seed}-${d}`,
      format: "txt",
      title: `Tài liệu tổng hợp ${d + 1}`,
      passages,
    });
  }
  return docs;
}
