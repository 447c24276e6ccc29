/**
 * Admin commands that write documents (registered in admin.ts):
 *
 *   npm run admin -- minutes <meeting id> [--chair "Họ tên"] [--secretary "Họ tên"] [--out file.docx]
 *   npm run admin -- export-evaluation <round id> [--out folder]
 *
 * minutes drafts a meeting's minutes (default file: bien-ban-hop-<id>-<date>.docx in the current
 * folder). export-evaluation writes the round's summary CSV and each submitted self-assessment as a
 * DOCX into the folder (default ./kiem-diem-<year>-<round id>).
 */
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../../core/config.js";
import type { Store } from "../../core/db/store.js";
import { evaluationCsv, evaluationSummary, selfAssessmentDocx } from "../../core/evaluation/export.js";
import { minutesDocx } from "../../core/minutes/minutes-docx.js";
import type { AdminIo } from "./admin-io.js";

type Command = (store: Store, config: Config, args: string[], io: AdminIo) => Promise<number>;

export const DOCUMENTS_USAGE = `  npm run admin -- minutes <meeting id> [--chair "Họ tên"] [--secretary "Họ tên"] [--out file.docx]
  npm run admin -- export-evaluation <round id> [--out folder]`;

/** The value after `--name`, if given. */
function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** The first argument that is neither an option nor an option's value. */
function positional(args: string[]): string | undefined {
  return args.find((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1]!.startsWith("--")));
}

function usage(io: AdminIo, message: string): number {
  io.err.write(`${message}\n${DOCUMENTS_USAGE}\n`);
  return 2;
}

const minutes: Command = async (store, config, args, io) => {
  const id = positional(args);
  if (!id || !/^\d+$/.test(id)) return usage(io, "minutes needs a meeting id (a number)");
  const meeting = await store.prisma.meeting.findUnique({ where: { id: Number(id) }, include: { organization: true } });
  if (!meeting) {
    io.err.write(`No meeting with id ${id}.\n`);
    return 1;
  }
  const file = await minutesDocx({ prisma: store.prisma, config, clock: () => new Date() }, meeting, { chair: option(args, "chair"), secretary: option(args, "secretary") });
  const out = path.resolve(option(args, "out") ?? file.fileName);
  fs.writeFileSync(out, file.content);
  io.out.write(`Minutes draft of meeting ${meeting.id} (${meeting.organization.name}) written to ${out}\n`);
  return 0;
};

const exportEvaluation: Command = async (store, config, args, io) => {
  const id = positional(args);
  if (!id || !/^\d+$/.test(id)) return usage(io, "export-evaluation needs an evaluation round id (a number; /danhgia tonghop shows it)");
  const round = await store.prisma.evaluationRound.findUnique({ where: { id: Number(id) }, include: { organization: true } });
  if (!round) {
    io.err.write(`No evaluation round with id ${id}.\n`);
    return 1;
  }
  const ctx = { prisma: store.prisma, config, clock: () => new Date() };
  const dir = path.resolve(option(args, "out") ?? `kiem-diem-${round.year}-${round.id}`);
  fs.mkdirSync(dir, { recursive: true });
  const rows = await evaluationSummary(ctx, round);
  fs.writeFileSync(path.join(dir, `tong-hop-${round.year}.csv`), evaluationCsv(rows));
  const entries = await store.prisma.evaluationEntry.findMany({ where: { roundId: round.id, submittedAt: { not: null } } });
  for (const entry of entries) {
    const file = (await selfAssessmentDocx(ctx, round, entry.memberId))!;
    fs.writeFileSync(path.join(dir, file.fileName), file.content);
  }
  io.out.write(`Evaluation ${round.year} of ${round.organization.name}: summary of ${rows.length} member(s) and ${entries.length} self-assessment(s) written to ${dir}\n`);
  return 0;
};

export const DOCUMENTS_COMMANDS: Record<string, Command> = { minutes, "export-evaluation": exportEvaluation };
