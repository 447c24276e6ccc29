/**
 * Ingest at scale: text files of 1, 5, 20 and 50 MB (generated from the corpus's sentences,
 * see bench/ingest-text.ts) each ingested into a fresh store by the ingest CLI's own code
 * (ingest/cli.ts main, in a child process of its own so that its peak RSS is its own).
 * Prints time, MB/s, peak RSS and CPU time (all threads: on a machine busy with other work the
 * time varies with the load, the CPU time much less) per size, and last a line a script can check:
 * `ingest: 50MB_s=<seconds for 50 MB> peak_rss_mb=<highest peak RSS>`.
 *
 *   npm run bench:ingest
 *   npm run bench:ingest -- --sizes 1,5 --timeout 120
 *   BENCH_PROFILE=/tmp/prof npm run bench:ingest -- --sizes 5   # a .cpuprofile per child
 *
 * The synthetic files live in a temporary folder, removed at the end. Each stays within its
 * size, so the 50 MB one passes the default MAX_INGEST_MB=50 (the CLI runs with its defaults).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PROJECT_ROOT } from "../core/config.js";
import { CORPUS_DIR, HAS_CORPUS } from "../test/support/shared-corpus.js";
import { corpusSentences, writeSyntheticDocument } from "./ingest-text.js";

const SELF = fileURLToPath(import.meta.url);
const MB = 1024 * 1024;

interface RunFigures {
  ok: boolean;
  seconds: number;
  peakRssMb: number;
  /** User and system CPU seconds of the ingest's process, all its threads. */
  cpuSeconds: number;
  passages?: number;
  output: string[];
}

// ---------------------------------------------------------------- child: one ingest, measured

async function runChild(file: string, dataDir: string): Promise<void> {
  const { main } = await import("../ingest/cli.js");
  const output: string[] = [];
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const code = await main([file], { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "warn" }, { out: (l) => output.push(l), err: (l) => output.push(l) });
  const seconds = (performance.now() - started) / 1000;
  const passages = output.map((l) => /: (\d+) passages \(added\)/.exec(l)?.[1]).find(Boolean);
  const figures: RunFigures = {
    ok: code === 0,
    seconds,
    // Linux reports maxRSS in kilobytes.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    cpuSeconds: ((cpu) => (cpu.user + cpu.system) / 1e6)(process.cpuUsage(cpuBefore)),
    ...(passages ? { passages: Number(passages) } : {}),
    output,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

// ---------------------------------------------------------------- parent: files, runs, report

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/** Runs the child on one file; undefined when it did not finish within `timeoutSeconds`. */
function measure(file: string, dataDir: string, timeoutSeconds: number): Promise<RunFigures | undefined> {
  const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", SELF, "--child", file, dataDir], {
    cwd: PROJECT_ROOT,
    env: process.env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutSeconds * 1000);
    child.on("error", reject);
    child.on("exit", () => {
      clearTimeout(timer);
      const line = stdout.trim().split("\n").at(-1);
      resolve(line?.startsWith("{") ? (JSON.parse(line) as RunFigures) : undefined);
    });
  });
}

async function runBenchmark(): Promise<void> {
  if (!HAS_CORPUS) throw new Error(`bench:ingest generates its text from ../shared/corpus, which is missing (${CORPUS_DIR})`);
  const sizes = option("--sizes", "1,5,20,50").split(",").map(Number);
  const timeout = Number(option("--timeout", "900"));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-bench-ingest-"));
  const sentences = corpusSentences(CORPUS_DIR);
  console.log(`bench:ingest: ${sentences.length} corpus sentences recombined; files in ${tmp}; ${os.cpus().length} cores, node ${process.version}`);
  console.log("size_mb  bytes       passages  seconds  MB/s    peak_rss_mb  cpu_s");
  let seconds50: number | undefined;
  let peakRss = 0;
  try {
    for (const size of sizes) {
      const file = path.join(tmp, `synthetic-${size}mb.txt`);
      const bytes = await writeSyntheticDocument(file, size * MB, sentences);
      const dataDir = path.join(tmp, `store-${size}mb`);
      const r = await measure(file, dataDir, timeout);
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(file, { force: true });
      if (!r) {
        console.log(`${String(size).padEnd(8)} ${String(bytes).padEnd(11)} not done after ${timeout} s (killed)`);
        continue;
      }
      if (!r.ok) {
        console.log(`${String(size).padEnd(8)} ${String(bytes).padEnd(11)} FAILED:\n  ${r.output.join("\n  ")}`);
        continue;
      }
      const mbPerSecond = bytes / MB / r.seconds;
      peakRss = Math.max(peakRss, r.peakRssMb);
      if (size === 50) seconds50 = r.seconds;
      console.log(
        `${String(size).padEnd(8)} ${String(bytes).padEnd(11)} ${String(r.passages ?? "?").padEnd(9)} ${r.seconds.toFixed(1).padEnd(8)} ${mbPerSecond.toFixed(2).padEnd(7)} ${r.peakRssMb.toFixed(0).padEnd(12)} ${r.cpuSeconds.toFixed(1)}`,
      );
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`ingest: 50MB_s=${seconds50 === undefined ? "NA" : seconds50.toFixed(1)} peak_rss_mb=${peakRss.toFixed(0)}`);
}

const childAt = process.argv.indexOf("--child");
const run = childAt >= 0 ? runChild(process.argv[childAt + 1]!, process.argv[childAt + 2]!) : runBenchmark();
run.catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
