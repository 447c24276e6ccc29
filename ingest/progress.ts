/**
 * What `npm run ingest` shows while it works. On a terminal: a progress bar (cli-progress)
 * with the file, its stage and its passages ("storing 31,000/71,185 passages"), the
 * finished files' lines printed above it. Elsewhere (a log file, a pipe): only those lines,
 * "[3/12] qd294.txt: 212 passages (added)", one per file.
 *
 *   const view = process.stderr.isTTY ? progressBar(process.stderr) : progressLines((l) => console.error(l));
 *   await ingestPaths(paths, kb, { onStage: (s) => view.stage(s), onProgress: (r, i, n) => view.fileDone(r, i, n) });
 *   view.stop();
 */
import cliProgress from "cli-progress";
import { formatProgress, type IngestFileResult, type IngestStage } from "./pipeline.js";

export interface ProgressView {
  stage(stage: IngestStage): void;
  fileDone(result: IngestFileResult, index: number, total: number): void;
  /** Ends the display (the bar is left at its last state). */
  stop(): void;
}

/** Plain lines, one per finished file. */
export function progressLines(write: (line: string) => void): ProgressView {
  return {
    stage: () => undefined,
    fileDone: (result, index, total) => write(formatProgress(result, index, total)),
    stop: () => undefined,
  };
}

/** Share of a file's work done at each stage, measured on large files: chunking about a sixth, writing most of the rest. */
const STAGE_SPAN: Record<IngestStage["stage"], [number, number]> = {
  reading: [0, 0.02],
  parsing: [0.02, 0.15],
  storing: [0.15, 0.85],
  indexing: [0.85, 1],
};

/** How far the whole run is (0-1), counting each file by its size. */
export function overallFraction(s: IngestStage): number {
  const [from, to] = STAGE_SPAN[s.stage];
  const within = s.of ? from + ((to - from) * Math.min(s.done ?? 0, s.of)) / s.of : from;
  if (s.totalBytes > 0) return (s.bytesBefore + s.bytes * within) / s.totalBytes;
  return (s.index + within) / Math.max(1, s.total);
}

const count = (n: number) => n.toLocaleString("en-US");

/** What the file is doing now: "parsing", "storing 31,000/71,185 passages". */
export function describeStage(s: IngestStage): string {
  switch (s.stage) {
    case "reading":
      return `reading ${(s.bytes / 1024 / 1024).toFixed(1)} MB`;
    case "parsing":
      return "parsing and chunking";
    case "storing":
      return `storing ${count(s.done ?? 0)}/${count(s.of ?? 0)} passages`;
    case "indexing":
      return `indexing vectors ${count(s.done ?? 0)}/${count(s.of ?? 0)}`;
  }
}

const SCALE = 1000;
/** Redraws at most this often. */
const DRAW_EVERY_MS = 100;

/** A progress bar on a terminal stream, the finished files' lines above it. */
export function progressBar(stream: NodeJS.WritableStream): ProgressView {
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format: "ingest [{bar}] {percentage}% | {position} {file}: {stage} | {duration_formatted}",
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = bars.create(SCALE, 0, { position: "", file: "", stage: "starting" });
  // A large file is chunked and written synchronously, when the bar's own timer cannot run:
  // it is redrawn from the progress reports themselves.
  let drawnAt = 0;
  const draw = (now = false) => {
    if (!now && Date.now() - drawnAt < DRAW_EVERY_MS) return;
    bars.update();
    drawnAt = Date.now();
  };
  return {
    stage(s) {
      bar.update(Math.round(overallFraction(s) * SCALE), { position: `${s.index + 1}/${s.total}`, file: s.source, stage: describeStage(s) });
      draw();
    },
    fileDone(result, index, total) {
      bars.log(`${formatProgress(result, index, total)}\n`);
      if (index + 1 === total) bar.update(SCALE, { position: `${total}/${total}`, file: "all files", stage: "done" });
      draw(true);
    },
    stop() {
      bars.stop();
    },
  };
}
