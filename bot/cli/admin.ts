/**
 * Operator commands for members and meetings (a terminal adapter over core/):
 *
 *   npm run admin -- import-members roster.csv [--json]   import or update members; --json adds invite codes
 *   npm run admin -- invite <member id or name>          issue a new one-time /dangky code
 *   npm run admin -- export-attendance <meeting id> [--csv]
 *
 * Every command opens the store with openStore, which creates and migrates a fresh DATA_DIR.
 * Results go to stdout; problems to stderr with a non-zero exit code.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig, type Config } from "../../core/config.js";
import { openStore, type Store } from "../../core/db/store.js";
import { importMembers } from "../../core/members/import.js";
import { issueInvite } from "../../core/members/invites.js";
import { nameKey } from "../../core/members/organizations.js";
import { roleLabel } from "../../core/members/roles.js";
import { attendanceCsv, attendanceExport } from "../../core/meetings/export.js";

const USAGE = `Usage:
  npm run admin -- import-members <file.csv> [--json]
  npm run admin -- invite <member id or name>
  npm run admin -- export-attendance <meeting id> [--csv]`;

class UsageError extends Error {}

async function importCommand(store: Store, config: Config, args: string[]): Promise<number> {
  const file = args.find((a) => !a.startsWith("--"));
  if (!file) throw new UsageError("import-members needs a CSV file");
  if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const result = await importMembers(store.prisma, fs.readFileSync(file, "utf8"));
  for (const e of result.errors) process.stderr.write(`line ${e.line}: ${e.message}\n`);
  if (args.includes("--json")) {
    const members = [];
    for (const m of result.members) {
      const invite = await issueInvite(store.prisma, m.id, { ttlHours: config.INVITE_TTL_HOURS });
      members.push({ ...m, inviteCode: invite.code, inviteExpiresAt: invite.expiresAt.toISOString() });
    }
    process.stdout.write(JSON.stringify({ created: result.created, updated: result.updated, errors: result.errors, members }, null, 2) + "\n");
  } else {
    process.stdout.write(
      `Imported ${result.members.length} member(s): ${result.created} created, ${result.updated} updated; ${result.errors.length} row(s) rejected.\n`,
    );
  }
  return result.errors.length > 0 ? 1 : 0;
}

async function inviteCommand(store: Store, config: Config, args: string[]): Promise<number> {
  const who = args.join(" ").trim();
  if (!who) throw new UsageError("invite needs a member id or name");
  const candidates = /^\d+$/.test(who)
    ? await store.prisma.member.findMany({ where: { id: Number(who) }, include: { organization: true } })
    : (await store.prisma.member.findMany({ include: { organization: true } })).filter((m) => nameKey(m.fullName).includes(nameKey(who)));
  if (candidates.length === 0) {
    process.stderr.write(`No member matches "${who}".\n`);
    return 1;
  }
  if (candidates.length > 1) {
    process.stderr.write(`"${who}" matches ${candidates.length} members; use the id:\n`);
    for (const m of candidates) process.stderr.write(`  ${m.id}\t${m.fullName}\t${m.organization.name}\t${roleLabel(m.role)}\n`);
    return 1;
  }
  const member = candidates[0]!;
  const invite = await issueInvite(store.prisma, member.id, { ttlHours: config.INVITE_TTL_HOURS });
  process.stdout.write(
    `${member.fullName} (${member.organization.name}, id ${member.id}): ${invite.code}\n` +
      `valid until ${invite.expiresAt.toISOString()}; the member sends "/dangky ${invite.code}" to the bot. Earlier unused codes are void.\n`,
  );
  return 0;
}

async function exportCommand(store: Store, config: Config, args: string[]): Promise<number> {
  const id = args.find((a) => !a.startsWith("--"));
  if (!id || !/^\d+$/.test(id)) throw new UsageError("export-attendance needs a meeting id (a number)");
  const rows = await attendanceExport({ prisma: store.prisma, config, clock: () => new Date() }, Number(id));
  if (!rows) {
    process.stderr.write(`No meeting with id ${id}.\n`);
    return 1;
  }
  process.stdout.write(args.includes("--csv") ? attendanceCsv(rows) : JSON.stringify(rows, null, 2) + "\n");
  return 0;
}

const COMMANDS: Record<string, (store: Store, config: Config, args: string[]) => Promise<number>> = {
  "import-members": importCommand,
  invite: inviteCommand,
  "export-attendance": exportCommand,
};

/** Runs one admin command; returns the process exit code. */
export async function runAdmin(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`${name ? `Unknown command "${name}".\n` : ""}${USAGE}\n`);
    return 2;
  }
  const config = loadConfig(env);
  const store = await openStore(config);
  try {
    return await command(store, config, args);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n${USAGE}\n`);
      return 2;
    }
    throw err;
  } finally {
    await store.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runAdmin(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`admin failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
