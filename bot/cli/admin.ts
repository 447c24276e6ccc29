/**
 * Operator commands for members and meetings (a terminal adapter over core/):
 *
 *   npm run admin -- import-members roster.csv [--json]   import or update members; --json adds invite codes
 *   npm run admin -- invite <member id or name> [--replace]
 *                                                        issue a new one-time /dangky code; --replace: redeeming it
 *                                                        unlinks the member's other chat accounts
 *   npm run admin -- identities <member id or name>      the member's linked chat accounts
 *   npm run admin -- unlink <member id or name> [--channel telegram|zalo] [--all]
 *                                                        remove linked accounts (all of them, or of one channel, with --all)
 *   npm run admin -- export-attendance <meeting id> [--csv]
 *   npm run admin -- deactivate <member id or name>      a member who left the cell (transfer, death, removal):
 *                                                        no more notices, reminders or roll entries; history kept
 *   npm run admin -- reactivate <member id or name>
 *   npm run admin -- migrate-store --from <sqlite url> --to <postgresql url>
 *                                                        copy a SQLite store into an empty PostgreSQL database
 *
 * Every command but migrate-store opens the store with openStore, which creates and migrates a fresh DATA_DIR.
 * Results go to stdout; problems to stderr with a non-zero exit code.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { loadConfig, type Config } from "../../core/config.js";
import { openStore, type Store } from "../../core/db/store.js";
import { importMembers } from "../../core/members/import.js";
import { issueInvite } from "../../core/members/invites.js";
import { nameKey } from "../../core/members/organizations.js";
import { roleLabel } from "../../core/members/roles.js";
import { attendanceCsv, attendanceExport } from "../../core/meetings/export.js";
import { STUDY_COMMANDS, STUDY_USAGE } from "./study-admin.js";
import { DOCUMENTS_COMMANDS, DOCUMENTS_USAGE } from "./documents-admin.js";
import { LEARNING_COMMANDS, LEARNING_USAGE } from "./learning-admin.js";
import type { AdminIo } from "./admin-io.js";
import { migrateStoreCommand, MIGRATE_STORE_USAGE } from "./migrate-store-admin.js";

const USAGE = `Usage:
  npm run admin -- import-members <file.csv> [--json]
  npm run admin -- invite <member id or name> [--replace]
  npm run admin -- identities <member id or name>
  npm run admin -- unlink <member id or name> [--channel telegram|zalo] [--all]
  npm run admin -- export-attendance <meeting id> [--csv]
  npm run admin -- deactivate <member id or name>
  npm run admin -- reactivate <member id or name>
${MIGRATE_STORE_USAGE}
${STUDY_USAGE}
${DOCUMENTS_USAGE}
${LEARNING_USAGE}`;

class UsageError extends Error {}

/** Where a command writes its result and its problems (the terminal, or a test's buffers). */

type Command = (store: Store, config: Config, args: string[], io: AdminIo) => Promise<number>;

/** A command's --options and other words (node:util parseArgs); an unknown or incomplete option is a usage error. */
function parseCommandArgs<O extends NonNullable<ParseArgsConfig["options"]>>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message.split(". ")[0]}`);
  }
}

/** Channels an account can be linked on (registration needs a channel that delivers notices). */
const LINK_CHANNELS = ["telegram", "zalo"] as const;

type LinkedAccount = { channel: string; platformUserId: string };
const accountList = (accounts: LinkedAccount[]) => accounts.map((a) => `${a.channel} ${a.platformUserId}`).join(", ");

async function importCommand(store: Store, config: Config, args: string[], io: AdminIo): Promise<number> {
  const file = args.find((a) => !a.startsWith("--"));
  if (!file) throw new UsageError("import-members needs a CSV file");
  if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const result = await importMembers(store.prisma, fs.readFileSync(file, "utf8"));
  for (const e of result.errors) io.err.write(`line ${e.line}: ${e.message}\n`);
  if (args.includes("--json")) {
    const members = [];
    for (const m of result.members) {
      const invite = await issueInvite(store.prisma, m.id, { ttlHours: config.INVITE_TTL_HOURS });
      // A member already linked needs no code to keep receiving notices; the count says so.
      const linkedAccounts = await store.prisma.chatIdentity.count({ where: { memberId: m.id } });
      members.push({ ...m, inviteCode: invite.code, inviteExpiresAt: invite.expiresAt.toISOString(), linkedAccounts });
    }
    io.out.write(JSON.stringify({ created: result.created, updated: result.updated, errors: result.errors, members }, null, 2) + "\n");
  } else {
    io.out.write(
      `Imported ${result.members.length} member(s): ${result.created} created, ${result.updated} updated; ${result.errors.length} row(s) rejected.\n`,
    );
  }
  return result.errors.length > 0 ? 1 : 0;
}

/** The one member the arguments name (an id, or part of a name); null after telling the operator why not. */
async function findMember(store: Store, command: string, args: string[], io: AdminIo) {
  const who = args.join(" ").trim();
  if (!who) throw new UsageError(`${command} needs a member id or name`);
  const candidates = /^\d+$/.test(who)
    ? await store.prisma.member.findMany({ where: { id: Number(who) }, include: { organization: true } })
    : (await store.prisma.member.findMany({ include: { organization: true } })).filter((m) => nameKey(m.fullName).includes(nameKey(who)));
  if (candidates.length === 0) {
    io.err.write(`No member matches "${who}".\n`);
    return null;
  }
  if (candidates.length > 1) {
    io.err.write(`"${who}" matches ${candidates.length} members; use the id:\n`);
    for (const m of candidates) io.err.write(`  ${m.id}\t${m.fullName}\t${m.organization.name}\t${roleLabel(m.role)}${m.active ? "" : "\t(inactive)"}\n`);
    return null;
  }
  return candidates[0]!;
}

async function inviteCommand(store: Store, config: Config, args: string[], io: AdminIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("invite", args, { replace: { type: "boolean" } });
  const member = await findMember(store, "invite", positionals, io);
  if (!member) return 1;
  if (!member.active) {
    io.err.write(`${member.fullName} (id ${member.id}) is inactive; run "reactivate ${member.id}" first.\n`);
    return 1;
  }
  const linked = await store.prisma.chatIdentity.findMany({ where: { memberId: member.id }, orderBy: { id: "asc" } });
  const replace = values.replace === true;
  const invite = await issueInvite(store.prisma, member.id, { ttlHours: config.INVITE_TTL_HOURS, replaceLinks: replace });
  io.out.write(
    `${member.fullName} (${member.organization.name}, id ${member.id}): ${invite.code}\n` +
      `valid until ${invite.expiresAt.toISOString()}; the member sends "/dangky ${invite.code}" to the bot. Earlier unused codes are void.\n`,
  );
  if (linked.length > 0 && replace) {
    io.out.write(`When this code is redeemed, the member's other linked accounts are unlinked (linked now: ${accountList(linked)}).\n`);
  } else if (linked.length > 0) {
    io.out.write(
      `Note: ${member.fullName} already has ${linked.length} linked account(s): ${accountList(linked)}. This code links one more; ` +
        `to replace the old account instead (a lost phone, say), run "invite ${member.id} --replace".\n`,
    );
  } else if (replace) {
    io.out.write("(--replace: no account is linked yet, so none will be unlinked.)\n");
  }
  return 0;
}

async function identitiesCommand(store: Store, _config: Config, args: string[], io: AdminIo): Promise<number> {
  const { positionals } = parseCommandArgs("identities", args, {});
  const member = await findMember(store, "identities", positionals, io);
  if (!member) return 1;
  const linked = await store.prisma.chatIdentity.findMany({ where: { memberId: member.id }, orderBy: { id: "asc" } });
  const who = `${member.fullName} (${member.organization.name}, id ${member.id})`;
  if (linked.length === 0) {
    io.out.write(`${who} has no linked account; "invite ${member.id}" issues a registration code.\n`);
    return 0;
  }
  io.out.write(`${who}: ${linked.length} linked account(s)\n`);
  for (const a of linked) io.out.write(`  ${a.channel}\tuser ${a.platformUserId}\tchat ${a.chatId}\tlinked ${a.linkedAt.toISOString()}\n`);
  return 0;
}

/**
 * unlink: removes the one linked account, or those of --channel; several need --all, so
 * a typo never removes more than the operator meant.
 */
async function unlinkCommand(store: Store, _config: Config, args: string[], io: AdminIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("unlink", args, { channel: { type: "string" }, all: { type: "boolean" } });
  const channel = values.channel;
  if (channel !== undefined && !(LINK_CHANNELS as readonly string[]).includes(channel)) {
    throw new UsageError(`unlink: --channel must be ${LINK_CHANNELS.join(" or ")} (got "${channel}")`);
  }
  const member = await findMember(store, "unlink", positionals, io);
  if (!member) return 1;
  const who = `${member.fullName} (${member.organization.name}, id ${member.id})`;
  const linked = await store.prisma.chatIdentity.findMany({ where: { memberId: member.id }, orderBy: { id: "asc" } });
  const chosen = channel ? linked.filter((a) => a.channel === channel) : linked;
  if (linked.length === 0) {
    io.err.write(`${who} has no linked account; nothing to unlink.\n`);
    return 1;
  }
  if (chosen.length === 0) {
    io.err.write(`${who} has no linked ${channel} account (linked: ${accountList(linked)}); nothing unlinked.\n`);
    return 1;
  }
  if (chosen.length > 1 && !values.all) {
    const narrower = channel ? "" : `, or --channel ${LINK_CHANNELS.join("|")} for one channel`;
    io.err.write(
      `${who} has ${chosen.length} linked accounts${channel ? ` on ${channel}` : ""}: ${accountList(chosen)}. ` +
        `Add --all to unlink all ${chosen.length}${narrower}; nothing unlinked.\n`,
    );
    return 1;
  }
  await store.prisma.chatIdentity.deleteMany({ where: { id: { in: chosen.map((a) => a.id) } } });
  const left = linked.filter((a) => !chosen.includes(a));
  io.out.write(
    `Unlinked from ${who}: ${accountList(chosen)}. No more notices go there, and the bot treats such an account as unregistered.\n` +
      (left.length > 0 ? `Still linked: ${accountList(left)}.\n` : `No account is linked now; "invite ${member.id}" issues a new registration code.\n`),
  );
  return 0;
}

/** deactivate / reactivate: the member's record, links and history stay; only `active` changes. */
function setActive(active: boolean): Command {
  return async (store, _config, args, io) => {
    const member = await findMember(store, active ? "reactivate" : "deactivate", args, io);
    if (!member) return 1;
    if (member.active === active) {
      io.out.write(`${member.fullName} (id ${member.id}) is already ${active ? "active" : "inactive"}.\n`);
      return 0;
    }
    await store.prisma.member.update({ where: { id: member.id }, data: { active } });
    io.out.write(
      active
        ? `${member.fullName} (${member.organization.name}, id ${member.id}) is active again: notices and rolls include them.\n`
        : `${member.fullName} (${member.organization.name}, id ${member.id}) is inactive: no more notices or reminders, not on new rolls, the bot treats their chats as unregistered. Past attendance is kept.\n`,
    );
    return 0;
  };
}

async function exportCommand(store: Store, config: Config, args: string[], io: AdminIo): Promise<number> {
  const id = args.find((a) => !a.startsWith("--"));
  if (!id || !/^\d+$/.test(id)) throw new UsageError("export-attendance needs a meeting id (a number)");
  const rows = await attendanceExport({ prisma: store.prisma, config, clock: () => new Date() }, Number(id));
  if (!rows) {
    io.err.write(`No meeting with id ${id}.\n`);
    return 1;
  }
  io.out.write(args.includes("--csv") ? attendanceCsv(rows, config) : JSON.stringify(rows, null, 2) + "\n");
  return 0;
}

const COMMANDS: Record<string, Command> = {
  "import-members": importCommand,
  invite: inviteCommand,
  identities: identitiesCommand,
  unlink: unlinkCommand,
  "export-attendance": exportCommand,
  deactivate: setActive(false),
  reactivate: setActive(true),
  ...STUDY_COMMANDS,
  ...DOCUMENTS_COMMANDS,
  ...LEARNING_COMMANDS,
};

/** Runs one admin command; returns the process exit code. */
export async function runAdmin(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  io: AdminIo = { out: process.stdout, err: process.stderr },
): Promise<number> {
  const [name, ...args] = argv;
  // Moving a store works on the two databases it names, not on the configured one.
  if (name === "migrate-store") return migrateStoreCommand(args, io);
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    io.err.write(`${name ? `Unknown command "${name}".\n` : ""}${USAGE}\n`);
    return 2;
  }
  const config = loadConfig(env);
  const store = await openStore(config);
  try {
    return await command(store, config, args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err.write(`${err.message}\n${USAGE}\n`);
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
