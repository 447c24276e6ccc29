/**
 * The ingest CLI's say on which document is in force (issue 11 §2):
 *   npm run ingest -- --replaces <old> <new>     <new> (a stored document) replaces <old>
 *   npm run ingest -- --unreplaces <old> <new>   undoes that
 *   npm run ingest -- --replaces                 lists every declaration and what it resolves to
 * <new> is a stored document's file name, number or title; <old> one too, or (for a document never
 * ingested) its number, "24-QĐ/TW", so that questions naming it are told what replaced it.
 * Documents also declare it themselves: `THAY THẾ:` in a header block, `thay_the:` in front matter.
 */
import type Database from "better-sqlite3";
import { documentLabel } from "../core/knowledge/document-names.js";
import { readReplacements, recordReplacement, removeReplacement, type DocumentKey } from "../core/knowledge/replacements.js";

export type ReplacesCommand = { kind: "replaces"; old: string; new: string } | { kind: "unreplaces"; old: string; new: string } | { kind: "replacements" };

export const REPLACES_USAGE = `  npm run ingest -- --replaces <old> <new>  record that <new> (stored: file name or number) replaces <old>
  npm run ingest -- --unreplaces <old> <new> undo that
  npm run ingest -- --replaces              list which documents replace which`;

/** Reads `--replaces [<old> <new>]` / `--unreplaces <old> <new>`; undefined when argv is not one of them. */
export function parseReplacesArgs(argv: string[]): ReplacesCommand | undefined {
  const [flag, ...rest] = argv;
  if (flag !== "--replaces" && flag !== "--unreplaces") return undefined;
  if (flag === "--replaces" && rest.length === 0) return { kind: "replacements" };
  if (rest.length !== 2 || rest.some((a) => !a.trim() || a.startsWith("--"))) throw new Error(`${flag} takes two arguments: <old> <new>\n${REPLACES_USAGE}`);
  return { kind: flag === "--replaces" ? "replaces" : "unreplaces", old: rest[0]!, new: rest[1]! };
}

const name = (d: DocumentKey) => `${documentLabel(d)} (${d.source}${d.issuedOn ? `, ${d.issuedOn}` : ""})`;

/** Runs the command on the store; returns the exit code (lines go to out, problems to err). */
export function runReplaces(db: Database.Database, command: ReplacesCommand, io: { out: (l: string) => void; err: (l: string) => void }): number {
  if (command.kind === "replacements") {
    const rows = db.prepare(`SELECT newerSource, older, origin FROM DocumentReplacement ORDER BY id`).all() as { newerSource: string; older: string; origin: string }[];
    if (rows.length === 0) io.out("(no document declares that it replaces another)");
    const resolved = readReplacements(db);
    for (const row of rows) {
      const r = resolved.filter((x) => x.newer.source === row.newerSource && x.declared === row.older);
      const how = row.origin === "cli" ? "--replaces" : "declared in the document";
      if (r.length === 0) io.out(`${row.newerSource} replaces "${row.older}" [${how}]: not applied, ${row.newerSource} is not stored`);
      for (const x of r) {
        const older = x.older ? `${name(x.older)}: its passages now rank after those in force` : `"${x.declared}" (not stored: questions naming it are told)`;
        io.out(`${name(x.newer)} replaces ${older} [${how}]`);
      }
    }
    return 0;
  }
  if (command.kind === "unreplaces") {
    const result = removeReplacement(db, command.old, command.new);
    if ("error" in result) {
      io.err(result.error);
      return 1;
    }
    if (result.removed === 0) {
      io.err(`No declaration that ${command.new} replaces "${command.old}" (see --replaces)`);
      return 1;
    }
    io.err(`removed ${result.removed} declaration(s); a document's own THAY THẾ / thay_the comes back when it is ingested again`);
    return 0;
  }
  const outcome = recordReplacement(db, command.old, command.new);
  if (!outcome.ok) {
    io.err(outcome.error);
    return 1;
  }
  const older = outcome.older ? name(outcome.older) : `"${outcome.declared}" (not stored: questions naming it will be told what replaced it)`;
  io.err(`${outcome.already ? "already recorded" : "recorded"}: ${name(outcome.newer)} replaces ${older}`);
  return 0;
}
