import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// The Prisma CLI for the PostgreSQL schema (derived from prisma/schema.prisma, see
// core/db/postgresql-schema.ts): `prisma generate --config prisma/postgresql/prisma.config.ts`.
// The JS engine with the pg driver adapter needs no engine download (our machines cannot
// download one). The schema's url must look like PostgreSQL's even when nothing connects.
const url = process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : "postgresql://localhost:5432/sotay";
process.env.DATABASE_URL = url;
const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(here, "schema.prisma"),
  migrations: { path: path.join(here, "migrations") },
  adapter: async () => new PrismaPg({ connectionString: url }),
});
