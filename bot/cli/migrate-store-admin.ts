/**
 * `npm run admin -- migrate-store --from <sqlite url> --to <postgresql url>`: moves a SQLite store
 * into an empty PostgreSQL database (core/db/migrate-store.ts) and says what it did: rows per
 * table, the id sequences moved, the SQLite-only tables left behind. A target that holds data is
 * refused, changing nothing.
 */
import { parseArgs } from "node:util";
import { redactUrl } from "../../core/db/engine.js";
import { migrateStore, TargetNotEmptyError } from "../../core/db/migrate-store.js";
import type { AdminIo } from "./admin-io.js";

export const MIGRATE_STORE_USAGE = `  npm run admin -- migrate-store --from <sqlite url, e.g. file:./data/sotay.db> --to <postgresql://user:password@host/db>`;

export async function migrateStoreCommand(args: string[], io: AdminIo): Promise<number> {
  let from: string | undefined;
  let to: string | undefined;
  try {
    ({ from, to } = parseArgs({ args, options: { from: { type: "string" }, to: { type: "string" } }, strict: true }).values);
  } catch (err) {
    io.err.write(`migrate-store: ${(err as Error).message.split(". ")[0]}\nUsage:\n${MIGRATE_STORE_USAGE}\n`);
    return 2;
  }
  if (!from || !to) {
    io.err.write(`migrate-store needs --from and --to\nUsage:\n${MIGRATE_STORE_USAGE}\n`);
    return 2;
  }
  io.out.write(`Copying ${from} into ${redactUrl(to)}…\n`);
  try {
    const report = await migrateStore({ from, to });
    const width = Math.max(...report.tables.map((t) => t.table.length));
    for (const t of report.tables) io.out.write(`  ${t.table.padEnd(width)}  ${t.rows} ${t.rows === 1 ? "row" : "rows"} (equal on both sides)\n`);
    const total = report.tables.reduce((n, t) => n + t.rows, 0);
    io.out.write(`Copied ${total} rows in ${report.tables.length} tables; ids kept.\n`);
    const moved = report.sequences.filter((s) => s.next > 1);
    if (moved.length) io.out.write(`Id sequences moved past the copied ids: ${moved.map((s) => `${s.table}.${s.column} → ${s.next}`).join(", ")}.\n`);
    if (report.skipped.length) io.out.write(`Not copied (SQLite's own search indexes; each PostgreSQL instance builds its own): ${report.skipped.join(", ")}.\n`);
    io.out.write(`Done. Set DATABASE_URL=${redactUrl(to)} and start the servers.\n`);
    return 0;
  } catch (err) {
    if (err instanceof TargetNotEmptyError) {
      io.err.write(`Refused: ${err.message}. Nothing was copied.\n`);
      return 1;
    }
    io.err.write(`migrate-store failed and was rolled back; nothing was copied: ${(err as Error).message}\n`);
    return 1;
  }
}
