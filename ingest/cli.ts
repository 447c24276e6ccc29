/**
 * `npm run ingest -- <file or folder>...`   ingest .txt .md .pdf .docx .html files (folders recursively)
 * `npm run ingest -- --remove <source>`     remove a document by its file name
 * `npm run ingest -- --list`                list stored documents
 * `npm run ingest -- --replaces <old> <new>` record which document is in force (see replaces.ts)
 *
 * After ingesting, the questions of QUESTIONS_DIR (data/questions) are attached to the
 * documents' sections, and every line that did not attach is listed.
 * Progress goes to stderr: a progress bar on a terminal (with each file's stage: parsing,
 * storing n/N passages...), else one line per file; the exit code is 1 when any file failed
 * (a file over MAX_INGEST_MB fails with a message; the others still go in).
 * DATA_DIR / DATABASE_URL select the store.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import { loadConfig } from "../core/config.js";
import { openStore } from "../core/db/store.js";
import { KnowledgeBase } from "../core/knowledge/knowledge-base.js";
import { heldKnowledge, knowledgeReplica, publishedKnowledge } from "../core/knowledge/replica.js";
import type { StoredDocument } from "../core/knowledge/types.js";
import { createCliLogger } from "../core/logger.js";
import { formatSummary, ingestPaths } from "./pipeline.js";
import { progressBar, progressLines } from "./progress.js";
import { attachQuestions, formatQuestionReports } from "./questions.js";
import { parseReplacesArgs, REPLACES_USAGE, runReplaces, type ReplacesCommand } from "./replaces.js";

const USAGE = `Usage:
  npm run ingest -- <file or folder>...   ingest .txt .md .pdf .docx .html (folders recursively)
  npm run ingest -- --remove <source>...  remove documents by file name (as shown by --list)
  npm run ingest -- --list                list stored documents
${REPLACES_USAGE}`;

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** A terminal to draw the progress bar on; without one, progress is a line per file on `err`. */
  terminal?: NodeJS.WritableStream;
}

const STDIO: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  terminal: process.stderr.isTTY ? process.stderr : undefined,
};

type Command = { kind: "ingest"; paths: string[] } | { kind: "remove"; sources: string[] } | { kind: "list" } | { kind: "help" } | ReplacesCommand;

/** Parses the command line; throws with a usage message when it makes no sense. */
export function parseArgs(argv: string[]): Command {
  if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) return { kind: "help" };
  if (argv[0] === "--list") {
    if (argv.length > 1) throw new Error(`--list takes no arguments\n${USAGE}`);
    return { kind: "list" };
  }
  const replaces = parseReplacesArgs(argv);
  if (replaces) return replaces;
  if (argv[0] === "--remove") {
    const sources = argv.slice(1);
    if (sources.length === 0) throw new Error(`--remove needs a source (a file name shown by --list)\n${USAGE}`);
    return { kind: "remove", sources };
  }
  const unknown = argv.find((a) => a.startsWith("--"));
  if (unknown) throw new Error(`Unknown option ${unknown}\n${USAGE}`);
  return { kind: "ingest", paths: argv };
}

function formatList(docs: StoredDocument[]): string[] {
  if (docs.length === 0) return ["(no documents)"];
  const rows = docs.map((d) => [d.source, d.title, d.number ?? "-", String(d.passageCount), d.ingestedAt.toISOString()]);
  const header = ["SOURCE", "TITLE", "NUMBER", "PASSAGES", "INGESTED AT"];
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (cells: string[]) =>
    cells.map((c, i) => (c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)];
}

/**
 * V8 lets its heap grow to two to four times what is live before it collects again, and
 * chunking a large file leaves much short-lived garbage: a 50 MB file peaked 150 MB above
 * what the ingest held. Growing by 30% at most keeps the peak near the live size, for a few
 * percent more time in the collector. (The flag is read at each collection, so setting it
 * now takes effect.)
 */
function keepHeapTight(): void {
  v8.setFlagsFromString("--heap-growing-percent=30");
}

/** Files from this size are followed by a full garbage collection between parsing and storing. */
const COLLECT_AFTER_PARSE_BYTES = 4 * 1024 * 1024;

/**
 * A full garbage collection on demand. Parsing a large file leaves its bytes, its decoded text
 * and the chunker's working copies (four times the file's size) as garbage in the old
 * generation, which V8 collects only once the heap grows by another 30%; while the document
 * is stored it hardly grows, so the garbage stayed beside the store's and the vector thread's
 * memory to the end: the 50 MB ingest peaked 60 to 150 MB higher, by chance of when V8 last
 * collected while parsing. Node has no call for it: a context made while --expose-gc is set
 * has V8's gc() (the flag is unset again at once, no global gc() is defined).
 */
function garbageCollector(): () => void {
  v8.setFlagsFromString("--expose-gc");
  const collect = vm.runInNewContext("gc") as () => void;
  v8.setFlagsFromString("--no-expose-gc");
  return collect;
}

/** Runs the CLI; returns the exit code. `env` selects the store (DATA_DIR, DATABASE_URL). */
export async function main(argv: string[], env: Record<string, string | undefined> = process.env, io: Io = STDIO): Promise<number> {
  let command: Command;
  try {
    command = parseArgs(argv);
  } catch (error) {
    io.err((error as Error).message);
    return 2;
  }
  if (command.kind === "help") {
    io.out(USAGE);
    return 0;
  }

  const config = loadConfig(env);
  const logger = createCliLogger(config);
  const store = await openStore(config);
  let kb: KnowledgeBase | undefined;
  try {
    kb = await KnowledgeBase.open(config, { logger, store });
    // On PostgreSQL the local copy (DATA_DIR/knowledge.db) first catches up with the database, and
    // each write is published to it (core/knowledge/replica.ts); on SQLite the store is the knowledge.
    const replica = knowledgeReplica(store, logger, heldKnowledge(kb));
    await replica?.pull({ exclusive: true });
    const writer = publishedKnowledge(kb, replica);
    switch (command.kind) {
      case "replaces":
      case "unreplaces":
      case "replacements": {
        const replaces = () => runReplaces(store.sqlite, command, io);
        return replica && command.kind !== "replacements" ? await replica.publish(async () => replaces()) : replaces();
      }
      case "list":
        for (const line of formatList(await kb.list())) io.out(line);
        return 0;
      case "remove": {
        let missing = 0;
        for (const source of command.sources) {
          if (await writer.remove(source)) io.err(`removed ${source}`);
          else {
            missing++;
            io.err(`${source}: no such document (see --list)`);
          }
        }
        return missing > 0 ? 1 : 0;
      }
      case "ingest": {
        keepHeapTight();
        const collectGarbage = garbageCollector();
        const view = io.terminal ? progressBar(io.terminal) : progressLines(io.err);
        let results;
        try {
          results = await ingestPaths(command.paths, writer, {
            logger,
            maxFileMb: config.MAX_INGEST_MB,
            onStage: (stage) => view.stage(stage),
            onProgress: (result, index, total) => view.fileDone(result, index, total),
            afterParse: (bytes) => {
              if (bytes >= COLLECT_AFTER_PARSE_BYTES) collectGarbage();
            },
          });
        } finally {
          view.stop();
        }
        io.err(formatSummary(results));
        // Questions attach to sections, so they follow every change of the documents.
        for (const line of formatQuestionReports(await attachQuestions(writer, config.QUESTIONS_DIR))) io.err(line);
        if (results.length === 0) {
          io.err(`No supported files found in ${command.paths.join(", ")}`);
          return 1;
        }
        return results.some((r) => r.outcome === "failed") ? 1 : 0;
      }
    }
    return 2;
  } finally {
    await kb?.close();
    await store.close();
  }
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`ingest failed: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
