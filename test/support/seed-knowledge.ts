/**
 * Ingests files into a test's DATA_DIR the way an operator does (`npm run ingest`, ingest/cli.ts),
 * on the run's engine: on PostgreSQL the documents are published to the database, where a server
 * started afterwards on the same DATABASE_URL finds them.
 *
 *   const env = { DATA_DIR: dir, ...(await testDatabaseEnv()) };
 *   await seedKnowledge(env, [path.join(dir, "docs")]);
 *   h = await startHarness({ dataDir: dir, env });
 */
import { main as ingest } from "../../ingest/cli.js";

export async function seedKnowledge(env: Record<string, string>, paths: string[]): Promise<void> {
  const errors: string[] = [];
  const code = await ingest(paths, { ...env, LOG_LEVEL: "silent" }, { out: () => undefined, err: (line) => errors.push(line) });
  if (code !== 0) throw new Error(`ingest of ${paths.join(", ")} failed (exit ${code}):\n${errors.join("\n")}`);
}
