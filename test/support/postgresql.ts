/**
 * A throwaway PostgreSQL for tests and benchmarks: `initdb` in a temp folder, started on a
 * free loopback port with its unix socket in that folder, stopped and removed afterwards.
 * initdb refuses to run as root, so as root the server runs as the `postgres` system user
 * (Debian's package creates it) through `runuser`. The binaries are looked for in
 * POSTGRESQL_BIN_DIR, /usr/lib/postgresql/<newest>/bin, then PATH; without them the
 * PostgreSQL variants of the tests are skipped (vitest.config.ts says so).
 *
 *   const server = await startTestPostgresql();        // throws when no binaries are found
 *   const url = await createDatabase(server.url, "t1");  // postgresql://postgres@127.0.0.1:<port>/t1
 *   await server.stop();
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export interface TestPostgresql {
  /** The superuser's URL on the `postgres` database. */
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

/** The folder holding initdb, pg_ctl and postgres, or null when PostgreSQL is not installed. */
export function findPostgresqlBin(): string | null {
  const candidates: string[] = [];
  if (process.env.POSTGRESQL_BIN_DIR) candidates.push(process.env.POSTGRESQL_BIN_DIR);
  const debian = "/usr/lib/postgresql";
  if (fs.existsSync(debian)) {
    const versions = fs
      .readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(debian, v, "bin")));
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) if (dir) candidates.push(dir);
  return candidates.find((dir) => ["initdb", "pg_ctl", "postgres"].every((b) => fs.existsSync(path.join(dir, b)))) ?? null;
}

/** Why the PostgreSQL variants cannot run here, or null when they can. */
export function postgresqlUnavailableReason(): string | null {
  if (process.env.TEST_POSTGRESQL_URL) return null;
  if (!findPostgresqlBin()) return "no PostgreSQL binaries (initdb, pg_ctl) found: install Debian's postgresql package (bash .ci/run does as root) or set POSTGRESQL_BIN_DIR";
  if (isRoot() && !userExists("postgres")) return "running as root and no `postgres` system user to run PostgreSQL as (initdb refuses root)";
  return null;
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

function userExists(name: string): boolean {
  return spawnSync("id", ["-u", name], { stdio: "ignore" }).status === 0;
}

/** Runs a PostgreSQL binary, as the `postgres` user when this process is root. */
function runBinary(bin: string, args: string[]): void {
  const [cmd, argv] = isRoot() ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  execFileSync(cmd, argv, { stdio: ["ignore", "pipe", "pipe"] });
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** initdb + start; durability is off (fsync), which a throwaway server does not need. */
export async function startTestPostgresql(): Promise<TestPostgresql> {
  const bin = findPostgresqlBin();
  if (!bin) throw new Error(postgresqlUnavailableReason() ?? "no PostgreSQL binaries");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-pg-"));
  if (isRoot()) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    fs.chownSync(dir, uid, gid);
  }
  const data = path.join(dir, "data");
  const log = path.join(dir, "server.log");
  runBinary(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      "-c listen_addresses=127.0.0.1",
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=300",
    ].join(" ");
    try {
      runBinary(path.join(bin, "pg_ctl"), ["-D", data, "-l", log, "-o", options, "-w", "-t", "60", "start"]);
      break;
    } catch (err) {
      // Another process may have taken the port in between: try another one.
      if (attempt >= 3) {
        const tail = fs.existsSync(log) ? fs.readFileSync(log, "utf8").slice(-2000) : "";
        throw new Error(`PostgreSQL did not start: ${(err as Error).message}\n${tail}`);
      }
    }
  }
  let stopped = false;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        runBinary(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The URL of another database on the same server. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates a database (optionally a copy of `template`) and returns its URL. */
export async function createDatabase(serverUrl: string, name: string, template?: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name) || (template && !/^[a-z_][a-z0-9_]*$/.test(template))) throw new Error(`bad database name ${name}`);
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`);
  } finally {
    await client.end();
  }
  return databaseUrl(serverUrl, name);
}

/** Drops a database, ending its connections first. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
