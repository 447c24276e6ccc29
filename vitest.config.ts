import { defineConfig } from "vitest/config";
import { postgresqlUnavailableReason } from "./test/support/postgresql.js";

const ALL = ["core/**/*.test.ts", "bot/**/*.test.ts", "ingest/**/*.test.ts", "test/**/*.test.ts"];

/**
 * The store and end-to-end tests run again on PostgreSQL (test/support/database.ts picks the
 * engine): a throwaway server for the run (test/support/postgresql-setup.ts), a fresh database per
 * test store. Without PostgreSQL binaries that project is left out, saying so.
 */
const POSTGRESQL = [
  "core/db/**/*.test.ts",
  "core/inbox/**/*.test.ts",
  "core/outbox/worker.test.ts",
  "core/cluster/**/*.test.ts",
  "core/conversation/store-backed.test.ts",
  "core/learning/question-log.test.ts",
  "bot/cli/migrate-store.test.ts",
  // The knowledge replica (branch pg-knowledge): pull / publish / follow, and two servers on one database.
  "core/knowledge/replica.test.ts",
  "test/knowledge/cluster-knowledge.test.ts",
  // The end-to-end harness (test/channels/support/harness.ts) opens the run's engine too.
  ...["readyz", "postgresql-ack", "telegram-webhook", "telegram-polling", "zalo", "web", "web-browser", "web-first-use", "senders", "malformed-updates", "platforms"].map((name) => `test/channels/${name}.test.ts`),
  "test/files/file-replies.test.ts",
  "test/study/study.test.ts",
  "test/evaluation/evaluation.test.ts",
  "test/minutes/minutes.test.ts",
  "test/learning/learning.test.ts",
  "test/library/library.test.ts",
  // Not here: test/channels/locked-database.test.ts (a SQLite file locked by another process) and
  // main.test.ts (it starts bot/main.ts on SQLite).
  // Meetings, attendance, reminders, registration and members end to end (test/meetings/helpers.ts
  // opens the run's engine). Not outbox.test.ts: it tests the SQLite worker's own rate windows and
  // crash recovery; core/outbox's tests cover the PostgreSQL worker.
  ...["conversation", "export", "extensions", "feature", "identities", "members", "privacy", "registration", "reminders", "replay", "telegram-outbox", "zalo-outbox"].map(
    (name) => `test/meetings/${name}.test.ts`,
  ),
];

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
