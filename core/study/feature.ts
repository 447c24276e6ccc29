/**
 * The study ConversationFeature: /hoctap (officers set a task; members list theirs), /tiendo
 * (officers), /kiemtra (the self-check), "đã học" typed or pressed, and reading the document
 * section by section. Choice values: "st:o:<task>:<from>" outline page, "st:s:<task>:<section>"
 * a section, "st:ok:<task>" confirm, "st:q:<task>" self-check, "st:a:<task>:<n>:<option>" an
 * answer. Permissions are checked here: a task is visible only to its own cell, and only the
 * cell's officers set tasks and see progress.
 *
 *   const feature = createStudyFeature({ prisma, config, state });
 */
import type { PrismaClient } from "@prisma/client";
import { DateTime } from "luxon";
import type { Config } from "../config.js";
import type { ConversationStateStore } from "../conversation/state-store.js";
import type { Choice, ConversationFeature, IncomingMessage, OutgoingMessage } from "../conversation/types.js";
import { parseDueDate } from "../deadlines/due-date.js";
import { findLinkedMember, type LinkedMember } from "../members/identity.js";
import { canManageOrganization } from "../members/permissions.js";
import { managesMeetings } from "../members/roles.js";
import { documentBySource, documentOutline, findDocuments, readSection, sectionLabel } from "./documents.js";
import { LETTERS, optionsOf, quizState, recordAnswer } from "./quiz.js";
import { parseStudyConfirmation } from "./replies.js";
import {
  OUTLINE_PAGE,
  acceptsConfirmation,
  confirmStudy,
  createStudyTask,
  daysUntil,
  outlineChoices,
  short,
  studyProgress,
  taskView,
  unconfirmedTasks,
  type StudyContext,
  type TaskWithCell,
} from "./service.js";
import { S } from "./strings.js";

export interface StudyFeatureOptions {
  prisma: PrismaClient;
  config: Pick<Config, "TIMEZONE" | "STUDY_REMINDER_DAYS">;
  state: ConversationStateStore;
  clock?: () => Date;
}

const say = (text: string, choices?: Choice[]): OutgoingMessage[] => [choices?.length ? { text, choices } : { text }];

/** "A self-check is in progress in this chat": letters typed as text then answer it. */
const QUIZ_KEY = "study.quiz";
const QUIZ_TTL_SECONDS = 24 * 3600;

/** Creates the feature; see the module comment. */
export function createStudyFeature(options: StudyFeatureOptions): ConversationFeature {
  const ctx: StudyContext = { prisma: options.prisma, config: options.config, clock: options.clock ?? (() => new Date()) };
  const { prisma } = ctx;
  const zone = ctx.config.TIMEZONE;
  const when = (d: Date) => DateTime.fromJSDate(d, { zone }).toFormat("HH:mm dd/MM/yyyy");

  async function member(message: IncomingMessage): Promise<LinkedMember | OutgoingMessage[]> {
    return (await findLinkedMember(prisma, message.channel, message.userId)) ?? say(S.notRegistered);
  }

  /** A task of the member's own cell; another cell's is reported like a missing one. */
  async function ownTask(m: LinkedMember, id: number): Promise<TaskWithCell | OutgoingMessage[]> {
    const task = await prisma.studyTask.findUnique({ where: { id }, include: { organization: true } });
    return task && task.organizationId === m.organizationId ? task : say(S.taskNotFound(id));
  }

  async function createTask(m: LinkedMember, args: string): Promise<OutgoingMessage[]> {
    const [query = "", dueText = "", ...noteParts] = args.split("|").map((s) => s.trim());
    const note = noteParts.join(" | ").trim();
    const missing = [!query && S.missingDocument, !dueText && S.missingDue].filter(Boolean) as string[];
    if (missing.length) return say(`${S.missing(missing)}\n${S.usage}`);
    const due = parseDueDate(dueText, zone, ctx.clock());
    if (!due.ok) return say(due.reason === "format" ? S.badDue(dueText) : due.reason === "invalid" ? S.invalidDue(dueText) : S.pastDue(dueText));
    const docs = await findDocuments(prisma, query);
    if (docs.length === 0) return say(S.noDocument(query));
    if (docs.length > 1) return say(S.manyDocuments(query, docs.map((d) => (d.number ? `${d.title} (${d.number})` : d.title))));
    const document = docs[0]!;
    const { task, linked, unlinked } = await createStudyTask(ctx, {
      organizationId: m.organizationId,
      document,
      dueOn: due.dueOn,
      deadlineAt: due.deadlineAt,
      note,
      createdById: m.id,
    });
    return say(S.created(taskView(task, document), linked, unlinked));
  }

  async function listTasks(m: LinkedMember): Promise<OutgoingMessage[]> {
    const tasks = await prisma.studyTask.findMany({
      where: { organizationId: m.organizationId },
      include: { organization: true, confirmations: { where: { memberId: m.id }, select: { id: true } } },
      orderBy: { id: "desc" },
      take: 5,
    });
    if (tasks.length === 0) return say(S.noOpenTask);
    const lines = [S.myTasksTitle, ...tasks.map((t) => S.myTaskLine(taskView(t), t.confirmations.length > 0))];
    const choices = tasks.filter((t) => acceptsConfirmation(ctx, t)).map((t) => ({ label: short(`#${t.id} ${t.documentTitle}`), value: `st:o:${t.id}:0` }));
    return say(lines.join("\n"), choices);
  }

  async function outline(task: TaskWithCell, from: number, confirmed: boolean): Promise<OutgoingMessage[]> {
    const doc = await documentBySource(prisma, task.documentSource);
    if (!doc) return say(S.documentGone(task.documentTitle));
    const sections = await documentOutline(prisma, doc.source);
    if (sections.length === 0) return say(S.noOutline, confirmed ? [] : [{ label: S.doneLabel, value: `st:ok:${task.id}` }]);
    const start = Math.max(0, Math.min(from, sections.length - 1));
    const end = Math.min(sections.length, start + OUTLINE_PAGE);
    const lines = sections.slice(start, end).map((s) => `• ${sectionLabel(s, S.introLabel)}`);
    return say([S.outlineTitle(taskView(task, doc), start, end, sections.length), ...lines].join("\n"), outlineChoices(task.id, sections, start, !confirmed));
  }

  async function section(task: TaskWithCell, sectionId: number, confirmed: boolean): Promise<OutgoingMessage[]> {
    const view = await readSection(prisma, task.documentSource, sectionId);
    if (!view) return say(S.sectionNotFound);
    const parts = [S.sectionTitle(view.document.title, sectionLabel(view.section, S.introLabel)), "", view.section.text.trim()];
    const children = view.children.slice(0, OUTLINE_PAGE);
    if (children.length) parts.push("", S.sectionParts);
    const choices: Choice[] = children.map((c) => ({ label: short(sectionLabel(c, S.introLabel)), value: `st:s:${task.id}:${c.id}` }));
    if (view.next) choices.push({ label: short(`${S.readOnLabel}: ${sectionLabel(view.next, S.introLabel)}`), value: `st:s:${task.id}:${view.next.id}` });
    choices.push({ label: S.outlineLabel, value: `st:o:${task.id}:0` });
    if (!confirmed) choices.push({ label: S.doneLabel, value: `st:ok:${task.id}` });
    return say(parts.join("\n"), choices);
  }

  async function isConfirmed(taskId: number, memberId: number): Promise<boolean> {
    return (await prisma.studyConfirmation.count({ where: { taskId, memberId } })) > 0;
  }

  async function confirm(message: IncomingMessage, m: LinkedMember, task: TaskWithCell): Promise<OutgoingMessage[]> {
    const existing = await prisma.studyConfirmation.findUnique({ where: { taskId_memberId: { taskId: task.id, memberId: m.id } } });
    if (existing) return say(S.alreadyConfirmed(taskView(task), when(existing.confirmedAt)));
    if (!acceptsConfirmation(ctx, task)) return say(S.taskNotFound(task.id));
    await confirmStudy(ctx, task, m.id, message.channel);
    const late = ctx.clock().getTime() > task.deadlineAt.getTime();
    const hasQuiz = (await prisma.studyQuestion.count({ where: { taskId: task.id } })) > 0;
    return say(S.confirmed(taskView(task), late), hasQuiz ? [{ label: S.quizLabel, value: `st:q:${task.id}` }] : undefined);
  }

  /** The next question, or the score when all are answered. */
  async function askNext(message: IncomingMessage, m: LinkedMember, task: TaskWithCell, lead: string[] = []): Promise<OutgoingMessage[]> {
    const state = await quizState(prisma, task.id, m.id);
    if (state.questions.length === 0) return say(S.noQuiz(task.id));
    if (!state.next) {
      await options.state.delete(message.channel, message.chatId, QUIZ_KEY);
      const done = lead.length ? S.finished(state.right, state.questions.length) : S.alreadyFinished(state.right, state.questions.length);
      return say([...lead, done].join("\n"));
    }
    const q = state.next;
    const opts = optionsOf(q);
    await options.state.set(message.channel, message.chatId, QUIZ_KEY, { taskId: task.id }, QUIZ_TTL_SECONDS);
    const text = S.question(taskView(task), q.ordinal, state.questions.length, q.text, opts);
    const choices = opts.map((_, i) => ({ label: LETTERS[i]!, value: `st:a:${task.id}:${q.ordinal}:${i}` }));
    return say([...lead, text].join("\n\n"), choices);
  }

  async function answer(message: IncomingMessage, m: LinkedMember, task: TaskWithCell, ordinal: number, chosen: number): Promise<OutgoingMessage[]> {
    const question = await prisma.studyQuestion.findUnique({ where: { taskId_ordinal: { taskId: task.id, ordinal } } });
    if (!question || chosen < 0 || chosen >= optionsOf(question).length) return askNext(message, m, task);
    const result = await recordAnswer(prisma, { taskId: task.id, memberId: m.id, question, chosen, at: ctx.clock() });
    if (result === "again") return askNext(message, m, task, [S.alreadyAnswered(ordinal)]);
    const verdict = chosen === question.answer ? S.right : S.wrong(LETTERS[question.answer]!, optionsOf(question)[question.answer]!);
    return askNext(message, m, task, [verdict]);
  }

  async function startQuiz(message: IncomingMessage, m: LinkedMember, idText: string): Promise<OutgoingMessage[]> {
    const id = /^#?(\d{1,9})$/.exec(idText.trim())?.[1];
    if (id) {
      const task = await ownTask(m, Number(id));
      return Array.isArray(task) ? task : askNext(message, m, task);
    }
    // Without an id: the newest task of the cell with a self-check the member has not finished.
    const tasks = await prisma.studyTask.findMany({
      where: { organizationId: m.organizationId, questions: { some: {} } },
      include: { organization: true },
      orderBy: { id: "desc" },
    });
    for (const task of tasks) {
      const state = await quizState(prisma, task.id, m.id);
      if (state.next) return askNext(message, m, task);
    }
    return say(tasks.length ? S.alreadyFinished(...(await scoreOf(tasks[0]!.id, m.id))) : S.noQuizAnywhere);
  }

  async function scoreOf(taskId: number, memberId: number): Promise<[number, number]> {
    const s = await quizState(prisma, taskId, memberId);
    return [s.right, s.questions.length];
  }

  async function progress(m: LinkedMember, idText: string): Promise<OutgoingMessage[]> {
    const id = idText.trim() ? /^#?(\d{1,9})$/.exec(idText.trim())?.[1] : undefined;
    if (idText.trim() && !id) return say(S.tiendoUsage);
    let task: TaskWithCell | null;
    if (id) {
      task = await prisma.studyTask.findUnique({ where: { id: Number(id) }, include: { organization: true } });
      if (!task || !(await canManageOrganization(prisma, m, task.organizationId))) return say(S.taskNotFound(Number(id)));
    } else {
      task = await prisma.studyTask.findFirst({ where: { organizationId: m.organizationId }, include: { organization: true }, orderBy: { id: "desc" } });
      if (!task) return say(S.noTasks);
    }
    const entries = await studyProgress(ctx, task);
    const questions = await prisma.studyQuestion.count({ where: { taskId: task.id } });
    const done = entries.filter((e) => e.confirmedAt);
    const pending = entries.filter((e) => !e.confirmedAt);
    const score = (e: (typeof entries)[number]) => (questions && e.quiz ? `, ${S.scoreMark(e.quiz.right, questions)}${e.quiz.answered < questions ? "…" : ""}` : "");
    const lines = [S.progressTitle(taskView(task), S.daysLeft(daysUntil(ctx, task.dueOn))), "", S.progressDone(done.length, entries.length)];
    for (const e of done) {
      const late = e.confirmedAt!.getTime() > task.deadlineAt.getTime() ? `, ${S.lateMark}` : "";
      lines.push(`• ${e.fullName} — ${when(e.confirmedAt!)}${late}${score(e)}`);
    }
    lines.push(S.progressPending(pending.length));
    for (const e of pending) lines.push(`• ${e.fullName}${e.linked ? "" : ` (${S.notLinked})`}${score(e)}`);
    if (questions) lines.push("", S.progressQuiz(entries.filter((e) => e.quiz && e.quiz.answered >= questions).length, entries.length, questions));
    const others = await prisma.studyTask.findMany({ where: { organizationId: task.organizationId, id: { not: task.id } }, orderBy: { id: "desc" }, take: 5, select: { id: true } });
    if (others.length) lines.push("", S.otherTasks(others.map((o) => o.id)));
    return say(lines.join("\n"));
  }

  const commands: NonNullable<ConversationFeature["commands"]> = {
    async hoctap(message, args) {
      const m = await member(message);
      if (Array.isArray(m)) return m;
      const text = args.trim();
      if (!text) return listTasks(m);
      const id = /^#?(\d{1,9})$/.exec(text)?.[1];
      if (id) {
        const task = await ownTask(m, Number(id));
        return Array.isArray(task) ? task : outline(task, 0, await isConfirmed(task.id, m.id));
      }
      if (!managesMeetings(m.role)) return say(S.notOfficer);
      return createTask(m, text);
    },
    async tiendo(message, args) {
      const m = await member(message);
      if (Array.isArray(m)) return m;
      if (!managesMeetings(m.role)) return say(S.notOfficer);
      return progress(m, args);
    },
    async kiemtra(message, args) {
      const m = await member(message);
      if (Array.isArray(m)) return m;
      return startQuiz(message, m, args);
    },
  };

  return {
    name: "study",
    commands,
    helpLines: S.help,
    needsAccount: true,

    async onChoice(message) {
      const v = /^st:(o|s|ok|q|a):(\d{1,9})(?::(\d{1,9}))?(?::(\d))?$/.exec(message.choice ?? "");
      if (!v) return null;
      const m = await member(message);
      if (Array.isArray(m)) return m;
      const task = await ownTask(m, Number(v[2]));
      if (Array.isArray(task)) return task;
      const confirmed = await isConfirmed(task.id, m.id);
      switch (v[1]) {
        case "o":
          return outline(task, Number(v[3] ?? 0), confirmed);
        case "s":
          return section(task, Number(v[3] ?? 0), confirmed);
        case "ok":
          return confirm(message, m, task);
        case "q":
          return askNext(message, m, task);
        default:
          return answer(message, m, task, Number(v[3] ?? 0), Number(v[4] ?? -1));
      }
    },

    async onText(message) {
      const text = message.text.trim();
      if (message.kind !== "text" || !text || text.startsWith("/")) return null;
      const quiz = await options.state.get<{ taskId: number }>(message.channel, message.chatId, QUIZ_KEY);
      const letter = /^([a-dA-D])[.)]?$/.exec(text)?.[1];
      const reply = letter ? null : parseStudyConfirmation(text);
      if (!reply && !(quiz && letter)) return null;
      const m = await findLinkedMember(prisma, message.channel, message.userId);
      if (!m) return null;
      if (quiz && letter) {
        const task = await ownTask(m, quiz.taskId);
        if (Array.isArray(task)) return task;
        const state = await quizState(prisma, task.id, m.id);
        if (!state.next) return askNext(message, m, task);
        return answer(message, m, task, state.next.ordinal, LETTERS.indexOf(letter.toUpperCase() as (typeof LETTERS)[number]));
      }
      if (reply!.taskId !== undefined) {
        const task = await ownTask(m, reply!.taskId);
        return Array.isArray(task) ? task : confirm(message, m, task);
      }
      const open = await unconfirmedTasks(ctx, m);
      if (open.length === 0) return say(S.noOpenTask);
      if (open.length === 1) return confirm(message, m, open[0]!);
      return say(S.whichTask, open.slice(0, 5).map((t) => ({ label: short(`#${t.id} ${t.documentTitle}`), value: `st:ok:${t.id}` })));
    },
  };
}
