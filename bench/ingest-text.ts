/**
 * Large synthetic documents for the ingest benchmark, shaped like the party's own texts:
 * chapters ("Chương 12" and an upper-case title), articles numbered through the whole
 * document ("Điều 347. …"), clauses "1." … with points "a)" …, bullets, and now and then a
 * paragraph too long for one passage. The words are sentences of ../shared/corpus
 * recombined at run time with a seeded generator (nothing of the corpus is committed),
 * so every run of one size writes the same file.
 *
 *   const sentences = corpusSentences(CORPUS_DIR);
 *   await writeSyntheticDocument("/tmp/x/20mb.txt", 20 * 1024 * 1024, sentences);
 */
import fs from "node:fs";
import path from "node:path";
import { classifyLine } from "../ingest/outline.js";
import { rng } from "./synthetic.js";

/** Sentences of the corpus documents that read as plain text (no heading marker, not too short or long). */
export function corpusSentences(corpusDir: string): string[] {
  const sentences = new Set<string>();
  for (const file of fs.readdirSync(corpusDir).filter((f) => f.endsWith(".txt")).sort()) {
    const text = fs.readFileSync(path.join(corpusDir, file), "utf8");
    const body = text.slice(text.indexOf("=== HẾT THÔNG TIN VĂN BẢN ===") + 1);
    for (const line of body.split("\n")) {
      for (const raw of line.split(/(?<=[.;:])\s+(?=\p{Lu})/u)) {
        const s = raw.trim();
        if (s.length >= 30 && s.length <= 400 && /^\p{Lu}/u.test(s) && classifyLine(s) === undefined && !s.includes("===")) sentences.add(s);
      }
    }
  }
  if (sentences.size < 100) throw new Error(`Too few sentences in ${corpusDir} to generate documents from`);
  return [...sentences];
}

/** Up to `bytes` of UTF-8 text (within one article of it) written to `file`, streamed so that any size fits in memory. */
export async function writeSyntheticDocument(file: string, bytes: number, sentences: string[], seed = 7): Promise<number> {
  const random = rng(seed);
  const pick = () => sentences[Math.floor(random() * sentences.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const paragraph = (min: number) => {
    const parts: string[] = [];
    let length = 0;
    while (length < min) {
      const s = pick();
      parts.push(s);
      length += s.length + 1;
    }
    return parts.join(" ");
  };
  const title = () => pick().replace(/[.;:,]+$/u, "").split(" ").slice(0, between(4, 10)).join(" ");

  const out = fs.createWriteStream(file, { encoding: "utf8" });
  let written = 0;
  let full = false;
  // Nothing that would pass `bytes` is written: a "50 MB" file stays within MAX_INGEST_MB=50.
  const write = async (text: string) => {
    const size = Buffer.byteLength(text);
    if (written + size > bytes) {
      full = true;
      return;
    }
    written += size;
    if (!out.write(text)) await new Promise<void>((resolve) => out.once("drain", resolve));
  };
  await write(
    [
      "=== THÔNG TIN VĂN BẢN ===",
      `TIÊU ĐỀ: Tài liệu tổng hợp ${Math.round(bytes / 1024 / 1024)} MB (văn bản thử tải)`,
      "LOẠI VĂN BẢN: Tài liệu",
      "=== HẾT THÔNG TIN VĂN BẢN ===",
      "",
      paragraph(400),
      "",
    ].join("\n"),
  );
  let article = 0;
  for (let chapter = 1; !full; chapter++) {
    await write(`Chương ${chapter}\n${title().toLocaleUpperCase("vi")}\n`);
    const articles = between(8, 30);
    for (let a = 0; a < articles && !full; a++) {
      const lines = [`Điều ${++article}. ${title()}`];
      const clauses = between(1, 6);
      for (let k = 1; k <= clauses; k++) {
        // One clause in twelve is a long paragraph that must be split at sentence ends.
        lines.push(`${k}. ${random() < 1 / 12 ? paragraph(between(1500, 4000)) : paragraph(between(60, 500))}`);
        const points = random() < 0.4 ? between(2, 6) : 0;
        for (let p = 0; p < points; p++) lines.push(`${"abcdđeghiklmn"[p]}) ${paragraph(between(40, 300))}`);
        if (random() < 0.1) for (let b = between(2, 4); b > 0; b--) lines.push(`- ${pick()}`);
      }
      await write(`${lines.join("\n")}\n`);
    }
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return written;
}
