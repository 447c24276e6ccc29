import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// Prisma 6.19's JS engine with the better-sqlite3 adapter runs fully offline
// (the Rust schema engine cannot be downloaded on our machines).
const url = process.env.DATABASE_URL ?? "file:./data/sotay.db";
process.env.DATABASE_URL = url;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => new PrismaBetterSQLite3({ url }),
});
