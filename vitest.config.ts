import { defineConfig } from "vitest/config";
import { postgresqlUnavailableReason } from "./test/support/postgresql.js";

const ALL = ["core/**/*.test.ts", "bot/**/*.test.ts", "ingest/**/*.test.ts", "test/**/*.test.ts"];

/**
 * The store and end-to-end tests run again on PostgreSQL (test/support/database.ts picks the
 * engine): a throwaway server for the run (test/support/postgresql-setup.ts), a fresh database per
 * test store. Without PostgreSQL binaries that project is left out, saying so.
 */
const POSTGRESQL = ["core/db/**/*.test.ts", "core/inbox/**/*.test.ts", "core/outbox/worker.test.ts", "core/cluster/**/*.test.ts", "core/conversation/store-backed.test.ts", "test/meetings/**/*.test.ts", "core/knowledge/replica.test.ts", "test/knowledge/cluster-knowledge.test.ts"];

const unavailable = postgresqlUnavailableReason();
if (unavailable) console.warn(`\n[vitest] PostgreSQL variants of the tests are SKIPPED: ${unavailable}\n`);

export default defineConfig({
  test: {
    // Native addons (better-sqlite3, hnswlib, onnxruntime) are safest in forked processes.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true as const, test: { name: "sqlite", include: ALL } },
      ...(unavailable
        ? []
        : [
            {
              extends: true as const,
              test: {
                name: "postgresql",
                include: POSTGRESQL,
                globalSetup: ["test/support/postgresql-setup.ts"],
                env: { TEST_DATABASE_ENGINE: "postgresql" },
              },
            },
          ]),
    ],
  },
});
