/**
 * The real server (`bot/main.ts`, through tsx) as a child process on a fresh DATA_DIR, for the
 * tests and benchmarks that need whole servers side by side (two instances on one PostgreSQL).
 *
 *   const server = startServerProcess({ DATABASE_URL: url });
 *   const base = await serverBase(server);   // listening and ready
 *   server.child.kill("SIGTERM"); await server.exited;
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PROJECT_ROOT } from "../../core/config.js";

const TSX = path.join(PROJECT_ROOT, "node_modules", ".bin", "tsx");

export interface ServerProcess {
  child: ChildProcess;
  dataDir: string;
  /** Everything it wrote to stdout and stderr so far (its log lines). */
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts a server with `env` over a minimal environment: port chosen by the system, one search thread, no question limit. */
export function startServerProcess(env: Record<string, string>, dataDirPrefix = "sotay-server-"): ServerProcess {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), dataDirPrefix));
  let out = "";
  const child = spawn(TSX, ["bot/main.ts"], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", SEARCH_THREADS: "1", QUESTIONS_PER_MINUTE: "100000", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, dataDir, output: () => out, exited };
}

/** Polls `probe` until it gives a value; throws naming `what` after `timeoutMs`. */
export async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs: number, pollMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
