/**
 * prisma/schema.prisma (provider sqlite) is the one source of the data model; the PostgreSQL
 * schema, prisma/postgresql/schema.prisma, is derived from it (same models, provider
 * postgresql, its client generated outside the source tree) and committed, so `prisma
 * generate` makes both clients at install time. A test fails when the committed file is stale.
 *
 *   npm run prisma:schemas    # rewrites prisma/postgresql/schema.prisma
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PROJECT_ROOT } from "../config.js";

export const SQLITE_SCHEMA = path.join(PROJECT_ROOT, "prisma", "schema.prisma");
export const POSTGRESQL_SCHEMA = path.join(PROJECT_ROOT, "prisma", "postgresql", "schema.prisma");

/** Where the PostgreSQL client is generated, relative to the derived schema (outside the source tree, like @prisma/client's). */
export const POSTGRESQL_CLIENT_OUTPUT = "../../node_modules/.prisma-postgresql/client";

const HEADER = `// GENERATED from prisma/schema.prisma by \`npm run prisma:schemas\`: do not edit; change prisma/schema.prisma
// and run the script again. The same models on PostgreSQL (DATABASE_URL=postgresql://...); migrations
// in prisma/postgresql/migrations (core/db/migrate-postgresql.ts applies them).

`;

/** The PostgreSQL schema for a SQLite schema's text; throws when the text is not shaped as expected. */
export function derivePostgresqlSchema(sqliteSchema: string): string {
  let out = sqliteSchema;
  const provider = /(datasource\s+db\s*\{[^}]*provider\s*=\s*)"sqlite"/;
  if (!provider.test(out)) throw new Error(`prisma/schema.prisma: no datasource with provider "sqlite"`);
  out = out.replace(provider, `$1"postgresql"`);
  const generator = /(generator\s+client\s*\{)([^}]*)\}/;
  const match = generator.exec(out);
  if (!match) throw new Error("prisma/schema.prisma: no `generator client` block");
  if (/\boutput\s*=/.test(match[2]!)) throw new Error("prisma/schema.prisma: the generator already names an output; derive cannot choose its own");
  out = out.replace(generator, `$1${match[2]!.replace(/\n$/, "")}\n  output     = "${POSTGRESQL_CLIENT_OUTPUT}"\n}`);
  return HEADER + out;
}

/** Writes the derived schema; returns true when the file changed. */
export function writePostgresqlSchema(): boolean {
  const next = derivePostgresqlSchema(fs.readFileSync(SQLITE_SCHEMA, "utf8"));
  const current = fs.existsSync(POSTGRESQL_SCHEMA) ? fs.readFileSync(POSTGRESQL_SCHEMA, "utf8") : null;
  if (current === next) return false;
  fs.mkdirSync(path.dirname(POSTGRESQL_SCHEMA), { recursive: true });
  fs.writeFileSync(POSTGRESQL_SCHEMA, next);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const changed = writePostgresqlSchema();
  console.log(
    changed
      ? `wrote ${path.relative(process.cwd(), POSTGRESQL_SCHEMA)}; run \`npm run prisma:generate\` and add a PostgreSQL migration beside the SQLite one`
      : `${path.relative(process.cwd(), POSTGRESQL_SCHEMA)} is up to date`,
  );
}
