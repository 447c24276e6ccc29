/**
 * Prints passage counts and lengths per corpus document, and the time to parse and
 * chunk them (text and PDF versions): `npx tsx ingest/corpus-stats.ts [corpus dir]`.
 * The corpus defaults to ../shared/corpus beside the repository.
 */
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../core/config.js";
import { chunkDocument } from "./chunker.js";
import { documentLabel, extractMetadata } from "./metadata.js";
import { parseFile } from "./parse.js";

const corpus = process.argv[2] ?? path.join(PROJECT_ROOT, "..", "shared", "corpus");
const texts = fs.readdirSync(corpus).filter((f) => f.endsWith(".txt")).sort();
const pdfDir = path.join(corpus, "pdf");
const pdfs = fs.existsSync(pdfDir) ? fs.readdirSync(pdfDir).filter((f) => f.endsWith(".pdf")).sort() : [];

const stats = (lengths: number[]) =>
  `${String(lengths.length).padStart(4)} passages, max ${Math.max(...lengths)}, mean ${Math.round(lengths.reduce((a, b) => a + b, 0) / lengths.length)} chars`;

// Chunking alone (text already read), all four documents, best of 5 runs.
const bodies = texts.map((f) => {
  const { meta, body } = extractMetadata(fs.readFileSync(path.join(corpus, f), "utf8"), f);
  return { f, meta, body };
});
let best = Infinity;
for (let run = 0; run < 5; run++) {
  const t0 = performance.now();
  for (const b of bodies) chunkDocument(b.body, { label: documentLabel(b.meta) });
  best = Math.min(best, performance.now() - t0);
}
const all: number[] = [];
for (const b of bodies) {
  const lengths = chunkDocument(b.body, { label: documentLabel(b.meta) }).map((p) => p.text.length);
  all.push(...lengths);
  console.log(`${b.f.padEnd(72)} ${stats(lengths)}`);
}
console.log(`${"all text files".padEnd(72)} ${stats(all)}`);
console.log(`chunking the ${texts.length} text files: ${best.toFixed(1)} ms (best of 5)`);

for (const f of pdfs) {
  const t0 = performance.now();
  const doc = await parseFile(path.join(pdfDir, f));
  const ms = performance.now() - t0;
  console.log(`${`pdf/${f}`.padEnd(72)} ${stats(doc.passages.map((p) => p.text.length))}, parse+chunk ${ms.toFixed(0)} ms`);
}
