/**
 * The operations scripts, run for real: scripts/postgres-local.sh starts a PostgreSQL in a temp
 * folder (as the postgres user when root) and prints a URL that works; scripts/cluster.sh starts
 * two server instances on it, each ready on its own port with its own DATA_DIR, and stops them
 * with SIGTERM. Skipped, saying why, where no PostgreSQL binaries are installed.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../core/config.js";
import { freePort } from "../support/free-port.js";
import { postgresqlUnavailableReason } from "../support/postgresql.js";

const run = promisify(execFile);
const unavailable = postgresqlUnavailableReason();
const script = (name: string) => path.join(PROJECT_ROOT, "scripts", name);

describe.skipIf(unavailable !== null)(`operations scripts${unavailable ? ` (skipped: ${unavailable})` : ""}`, () => {
  let dir: string;
  let url: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-ops-"));
    fs.chmodSync(dir, 0o755); // as root, PostgreSQL runs as the postgres user, which must reach its folder
    const { stdout } = await run("bash", [script("postgres-local.sh"), "start", path.join(dir, "pg")], { cwd: PROJECT_ROOT });
    url = stdout.trim();
  });

  afterAll(async () => {
    if (!dir) return;
    await run("bash", [script("cluster.sh"), "stop"], { cwd: PROJECT_ROOT, env: { ...process.env, CLUSTER_DIR: path.join(dir, "cluster") } }).catch(() => undefined);
    await run("bash", [script("postgres-local.sh"), "stop", path.join(dir, "pg")], { cwd: PROJECT_ROOT }).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("postgres-local.sh starts a server with database sotay and prints its URL; a second start finds it running", async () => {
    expect(url).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/sotay$/);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ db: string }>("SELECT current_database() AS db");
    await client.end();
    expect(rows[0]!.db).toBe("sotay");
    const again = await run("bash", [script("postgres-local.sh"), "start", path.join(dir, "pg")], { cwd: PROJECT_ROOT });
    expect(again.stdout.trim()).toBe(url);
    expect(again.stderr).toContain("already running");
  });

  it("cluster.sh starts two instances on one database, each ready with its own DATA_DIR, and stops them", async () => {
    const base = await freePort();
    const clusterDir = path.join(dir, "cluster");
    const env = { ...process.env, CLUSTER_DIR: clusterDir, CLUSTER_BASE_PORT: String(base), DATABASE_URL: url, LOG_LEVEL: "warn", AUTO_INGEST_SAMPLE: "false", WEB_CHAT_ENABLED: "true" };
    await run("bash", [script("cluster.sh"), "2"], { cwd: PROJECT_ROOT, env });
    const pids = [1, 2].map((i) => Number(fs.readFileSync(path.join(clusterDir, String(i), "server.pid"), "utf8")));
    expect(new Set(pids).size).toBe(2);
    for (const port of [base, base + 1]) expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    for (const i of [1, 2]) expect(fs.existsSync(path.join(clusterDir, String(i), "knowledge.db"))).toBe(true);
    const status = await run("bash", [script("cluster.sh"), "status"], { cwd: PROJECT_ROOT, env });
    expect(status.stdout).toMatch(/instance 1 .*\/readyz 200/);
    expect(status.stdout).toMatch(/instance 2 .*\/readyz 200/);

    await run("bash", [script("cluster.sh"), "stop"], { cwd: PROJECT_ROOT, env });
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    for (const i of [1, 2]) expect(fs.existsSync(path.join(clusterDir, String(i), "server.pid"))).toBe(false);
  });
});
