import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["core/**/*.test.ts", "bot/**/*.test.ts", "ingest/**/*.test.ts", "test/**/*.test.ts"],
    // Native addons (better-sqlite3, hnswlib, onnxruntime) are safest in forked processes.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
