/**
 * Admin commands for study tasks (registered in admin.ts):
 *
 *   npm run admin -- export-study <task id> [--csv]       who has confirmed, when, and self-check scores
 *   npm run admin -- study-quiz <task id> <file.csv>       attaches the 3-10 question self-check and tells the cell
 *
 * Quiz CSV columns: cau_hoi, a, b, c, d, dap_an (c and d optional; dap_an = A, B, C or D).
 */
import fs from "node:fs";
import type { Config } from "../../core/config.js";
import type { Store } from "../../core/db/store.js";
import { cellMembers, queueForMembers } from "../../core/members/cell-messages.js";
import { studyCsv, studyExport } from "../../core/study/export.js";
import { attachQuiz, parseQuizCsv } from "../../core/study/quiz.js";
import { taskView, type StudyContext } from "../../core/study/service.js";
import { S } from "../../core/study/strings.js";
import type { AdminIo } from "./admin-io.js";

type Command = (store: Store, config: Config, args: string[], io: AdminIo) => Promise<number>;

export const STUDY_USAGE = `  npm run admin -- export-study <task id> [--csv]
  npm run admin -- study-quiz <task id> <file.csv>`;

const context = (store: Store, config: Config): StudyContext => ({ prisma: store.prisma, config, clock: () => new Date() });

function taskId(args: string[], command: string, io: AdminIo): number | null {
  const id = args.find((a) => !a.startsWith("--"));
  if (!id || !/^\d+$/.test(id)) {
    io.err.write(`${command} needs a study task id (a number; /tiendo in the chat shows it)\n${STUDY_USAGE}\n`);
    return null;
  }
  return Number(id);
}

const exportStudy: Command = async (store, config, args, io) => {
  const id = taskId(args, "export-study", io);
  if (id === null) return 2;
  const rows = await studyExport(context(store, config), id);
  if (!rows) {
    io.err.write(`No study task with id ${id}.\n`);
    return 1;
  }
  io.out.write(args.includes("--csv") ? studyCsv(rows) : JSON.stringify(rows, null, 2) + "\n");
  return 0;
};

const studyQuiz: Command = async (store, config, args, io) => {
  const [idText, file] = args.filter((a) => !a.startsWith("--"));
  const id = taskId(idText ? [idText] : [], "study-quiz", io);
  if (id === null) return 2;
  if (!file) {
    io.err.write(`study-quiz needs the CSV file after the task id\n${STUDY_USAGE}\n`);
    return 2;
  }
  if (!fs.existsSync(file)) {
    io.err.write(`No such file: ${file}\n`);
    return 2;
  }
  const task = await store.prisma.studyTask.findUnique({ where: { id }, include: { organization: true } });
  if (!task) {
    io.err.write(`No study task with id ${id}.\n`);
    return 1;
  }
  const parsed = parseQuizCsv(fs.readFileSync(file, "utf8"));
  if (!parsed.ok) {
    for (const e of parsed.errors) io.err.write(`line ${e.line}: ${e.message}\n`);
    io.err.write("Nothing was attached.\n");
    return 1;
  }
  const attached = await attachQuiz(store.prisma, id, parsed.questions);
  if (!attached.ok) {
    io.err.write(`${attached.answeredBy} member(s) have already answered task ${id}'s self-check; it can no longer be changed.\n`);
    return 1;
  }
  const { linked } = await cellMembers(store.prisma, task.organizationId);
  const notice = { text: S.quizNotice(taskView(task), parsed.questions.length), choices: [{ label: S.quizLabel, value: `st:q:${task.id}` }] };
  // The key names this version of the quiz, so re-attaching tells members again but re-running does not.
  const version = (await store.prisma.studyQuestion.findFirst({ where: { taskId: id }, orderBy: { id: "asc" }, select: { id: true } }))!.id;
  const told = await queueForMembers(store.prisma, `study-quiz:${task.id}:q${version}`, notice, linked, new Date());
  io.out.write(`Attached ${parsed.questions.length} question(s) to study task ${id} (${task.organization.name}); ${told} linked member(s) will be told.\n`);
  return 0;
};

export const STUDY_COMMANDS: Record<string, Command> = { "export-study": exportStudy, "study-quiz": studyQuiz };
