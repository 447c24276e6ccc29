/**
 * Guards the chunker's output while its speed is worked on: writes what parseFile makes
 * of a set of documents (metadata, passages with heading, locator, subject and sections,
 * the outline's sections) as JSON, or compares a new run with a saved one and names the
 * first difference per document. The snapshot holds document text: keep it out of the
 * repository (a temporary folder).
 *
 *   npx tsx bench/chunk-snapshot.ts --write /tmp/before.json            # ../shared/corpus + data/handbook
 *   npx tsx bench/chunk-snapshot.ts --compare /tmp/before.json
 *   npx tsx bench/chunk-snapshot.ts --write /tmp/big.json /tmp/big.txt  # given files instead
 */
import fs from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { PROJECT_ROOT } from "../core/config.js";
import { parseFile } from "../ingest/parse.js";
import { CORPUS_DIR } from "../test/support/shared-corpus.js";

type Snapshot = Record<string, unknown>;

function defaultFiles(): string[] {
  const inDir = (dir: string, ext: RegExp) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => ext.test(f)).sort().map((f) => path.join(dir, f)) : []);
  return [...inDir(CORPUS_DIR, /\.txt$/), ...inDir(path.join(CORPUS_DIR, "pdf"), /\.pdf$/), ...inDir(path.join(PROJECT_ROOT, "data", "handbook"), /\.(md|txt|html|docx)$/)];
}

async function snapshot(files: string[]): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const file of files) {
    // The absolute path differs between checkouts; everything else must not.
    const { path: _path, ...doc } = await parseFile(file);
    out[path.basename(file)] = doc;
  }
  return out;
}

/** Where two values first differ ("passages[12].heading"), or undefined when equal. */
function firstDifference(a: unknown, b: unknown, at = ""): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return `${at || "(value)"}: ${JSON.stringify(a)?.slice(0, 200)} ≠ ${JSON.stringify(b)?.slice(0, 200)}`;
  if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) {
    const common = Math.min(a.length, b.length);
    for (let i = 0; i < common; i++) if (!isDeepStrictEqual(a[i], b[i])) return firstDifference(a[i], b[i], `${at}[${i}]`);
    return `${at}: ${a.length} items ≠ ${b.length} items`;
  }
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const d = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], Array.isArray(a) ? `${at}[${key}]` : `${at}.${key}`);
    if (d) return d;
  }
  return undefined;
}

async function main(argv: string[]): Promise<number> {
  const [mode, target, ...given] = argv;
  if ((mode !== "--write" && mode !== "--compare") || !target) {
    console.error("Usage: npx tsx bench/chunk-snapshot.ts --write|--compare <snapshot.json> [files...]");
    return 2;
  }
  const files = given.length ? given : defaultFiles();
  const now = await snapshot(files);
  if (mode === "--write") {
    fs.writeFileSync(target, JSON.stringify(now));
    console.log(`wrote ${Object.keys(now).length} documents to ${target}`);
    return 0;
  }
  const saved = JSON.parse(fs.readFileSync(target, "utf8")) as Snapshot;
  let differing = 0;
  for (const name of new Set([...Object.keys(saved), ...Object.keys(now)])) {
    const d = firstDifference(saved[name], now[name]);
    const counts = (s: Snapshot) => {
      const doc = s[name] as { passages?: unknown[]; sections?: unknown[] } | undefined;
      return doc ? `${doc.passages?.length ?? 0} passages, ${doc.sections?.length ?? 0} sections` : "missing";
    };
    if (d) differing++;
    console.log(`${d ? "DIFFERS" : "same   "} ${name} (${counts(now)})${d ? `: ${d}` : ""}`);
  }
  console.log(differing ? `${differing} document(s) differ` : "identical");
  return differing ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
