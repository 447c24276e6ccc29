/**
 * The yearly evaluation ConversationFeature. Members: /danhgia opens their self-assessment, a
 * guided form one step at a time (strengths; shortcomings; causes and remedies; self-grade) with
 * Back and Exit; text typed during steps 1-3 is appended (a long answer may take several
 * messages) and saved at once; the form is reviewed and submitted, and can be changed until the
 * deadline. Officers: /danhgia mo | tonghop | xeploai | kyluat | xuat | dong.
 * Choice values: "ev:start:<round>", "ev:f:<round>:next|back|clear|exit|submit", "ev:e:<round>:<step>",
 * "ev:g:<round>:<grade>", and for officers "ev:pl:<round>", "ev:pm:<round>:<member>", "ev:pg:<round>:<member>:<grade>".
 *
 *   const feature = createEvaluationFeature({ prisma, config, state });
 */
import type { EvaluationEntry, PrismaClient } from "@prisma/client";
import { DateTime } from "luxon";
import type { Config } from "../config.js";
import type { ConversationStateStore } from "../conversation/state-store.js";
import type { Choice, ConversationFeature, IncomingMessage, OutgoingMessage } from "../conversation/types.js";
import { parseDueDate } from "../deadlines/due-date.js";
import { findLinkedMember, type LinkedMember } from "../members/identity.js";
import { canManageOrganization } from "../members/permissions.js";
import { managesMeetings } from "../members/roles.js";
import { fold } from "../text/vietnamese.js";
import { evaluationCsv, evaluationSummary, selfAssessmentDocx } from "./export.js";
import { barredByDiscipline, gradeLabel, GRADES, parseGrade, type Grade } from "./grades.js";
import {
  MAX_FIELD,
  acceptsSelfAssessment,
  capStatus,
  closeProblems,
  closeRound,
  entryOf,
  findInRoster,
  isComplete,
  latestRound,
  openRound,
  propose,
  roster,
  roundView,
  submitEntry,
  updateEntry,
  type EvaluationContext,
  type RoundWithCell,
} from "./service.js";
import { E, FORM_STEPS } from "./strings.js";

export interface EvaluationFeatureOptions {
  prisma: PrismaClient;
  config: EvaluationContext["config"] & Pick<Config, "TIMEZONE">;
  state: ConversationStateStore;
  clock?: () => Date;
}

const say = (text: string, choices?: Choice[]): OutgoingMessage[] => [choices?.length ? { text, choices } : { text }];

/** Where the member is in the form: steps 1-4, or 5 for the review. */
interface FormState {
  roundId: number;
  step: number;
}
const FORM_KEY = "evaluation.form";
const FORM_TTL_SECONDS = 7 * 24 * 3600;
const REVIEW = 5;

/** Creates the feature; see the module comment. */
export function createEvaluationFeature(options: EvaluationFeatureOptions): ConversationFeature {
  const ctx: EvaluationContext = { prisma: options.prisma, config: options.config, clock: options.clock ?? (() => new Date()) };
  const { prisma, config } = ctx;
  const zone = config.TIMEZONE;
  const when = (d: Date) => DateTime.fromJSDate(d, { zone }).toFormat("HH:mm dd/MM/yyyy");
  const formState = (m: IncomingMessage) => options.state.get<FormState>(m.channel, m.chatId, FORM_KEY);
  const setStep = (m: IncomingMessage, roundId: number, step: number) => options.state.set(m.channel, m.chatId, FORM_KEY, { roundId, step }, FORM_TTL_SECONDS);
  const leave = (m: IncomingMessage) => options.state.delete(m.channel, m.chatId, FORM_KEY);

  async function ownRound(m: LinkedMember, id: number): Promise<RoundWithCell | null> {
    const round = await prisma.evaluationRound.findUnique({ where: { id }, include: { organization: true } });
    return round && round.organizationId === m.organizationId ? round : null;
  }

  // ---------------------------------------------------------------- the member's form

  function formChoices(roundId: number, step: number, entry: EvaluationEntry): Choice[] {
    const f = (action: string, label: string) => ({ label, value: `ev:f:${roundId}:${action}` });
    if (step === 4) {
      return [...GRADES.map((g) => ({ label: gradeLabel(g), value: `ev:g:${roundId}:${g}` })), f("back", E.backLabel), f("exit", E.cancelLabel)];
    }
    const field = FORM_STEPS[step - 1]!.field;
    return [
      f("next", E.nextLabel),
      ...(step > 1 ? [f("back", E.backLabel)] : []),
      ...(entry[field] ? [f("clear", E.clearLabel)] : []),
      f("exit", E.cancelLabel),
    ];
  }

  async function showStep(message: IncomingMessage, round: RoundWithCell, entry: EvaluationEntry, step: number, lead: string[] = []): Promise<OutgoingMessage[]> {
    await setStep(message, round.id, step);
    if (step === REVIEW) return review(round, entry, lead);
    const r = roundView(round);
    const text =
      step === 4 ? E.gradeStep(r, gradeLabel(entry.selfGrade)) : E.step(r, step, FORM_STEPS[step - 1]!.title, FORM_STEPS[step - 1]!.hint, entry[FORM_STEPS[step - 1]!.field]);
    return say([...lead, text].join("\n\n"), formChoices(round.id, step, entry));
  }

  function review(round: RoundWithCell, entry: EvaluationEntry, lead: string[] = []): OutgoingMessage[] {
    const status = entry.submittedAt ? E.statusSubmitted(when(entry.submittedAt)) : E.statusDraft;
    const text = E.review(roundView(round), FORM_STEPS.map((s) => ({ title: s.title, text: entry[s.field] })), gradeLabel(entry.selfGrade), status);
    const choices: Choice[] = [];
    if (!entry.submittedAt && isComplete(entry)) choices.push({ label: E.submitLabel, value: `ev:f:${round.id}:submit` });
    FORM_STEPS.forEach((s, i) => choices.push({ label: E.editLabel(i + 1, s.title), value: `ev:e:${round.id}:${i + 1}` }));
    choices.push({ label: E.editLabel(4, E.gradeStepTitle), value: `ev:e:${round.id}:4` });
    choices.push({ label: E.cancelLabel, value: `ev:f:${round.id}:exit` });
    return say([...lead, text].join("\n\n"), choices);
  }

  /** The first step still empty, or the review when all are done. */
  const firstOpenStep = (e: EvaluationEntry) => {
    const i = FORM_STEPS.findIndex((s) => !e[s.field].trim());
    return i >= 0 ? i + 1 : e.selfGrade ? REVIEW : 4;
  };

  async function enterForm(message: IncomingMessage, m: LinkedMember, round: RoundWithCell): Promise<OutgoingMessage[]> {
    if (!acceptsSelfAssessment(ctx, round)) {
      await leave(message);
      const entry = await prisma.evaluationEntry.findUnique({ where: { roundId_memberId: { roundId: round.id, memberId: m.id } } });
      return entry?.submittedAt ? [...say(E.closedForMember(roundView(round))), ...review(round, entry).map((o) => ({ text: o.text }))] : say(E.closedForMember(roundView(round)));
    }
    const entry = await entryOf(ctx, round.id, m.id);
    return showStep(message, round, entry, entry.submittedAt ? REVIEW : firstOpenStep(entry));
  }

  /** A change to the entry, telling the member when it withdrew a submission. */
  async function change(entry: EvaluationEntry, data: Parameters<typeof updateEntry>[2]): Promise<{ entry: EvaluationEntry; notes: string[] }> {
    const result = await updateEntry(ctx, entry, data);
    return { entry: result.entry, notes: result.withdrawn ? [E.editedAfterSubmit] : [] };
  }

  async function formAction(message: IncomingMessage, m: LinkedMember, round: RoundWithCell, action: string, arg?: string): Promise<OutgoingMessage[]> {
    if (!acceptsSelfAssessment(ctx, round)) return enterForm(message, m, round);
    let entry = await entryOf(ctx, round.id, m.id);
    const form = await formState(message);
    const step = form?.roundId === round.id ? form.step : firstOpenStep(entry);
    switch (action) {
      case "next": {
        if (step <= 3 && !entry[FORM_STEPS[step - 1]!.field].trim()) return say(E.emptyStep, formChoices(round.id, step, entry));
        return showStep(message, round, entry, step === 4 ? REVIEW : step + 1);
      }
      case "back":
        return showStep(message, round, entry, Math.max(1, step === REVIEW ? 4 : step - 1));
      case "clear": {
        if (step > 3) return showStep(message, round, entry, step);
        const changed = await change(entry, { [FORM_STEPS[step - 1]!.field]: "" });
        return showStep(message, round, changed.entry, step, [...changed.notes, E.cleared]);
      }
      case "exit":
        await leave(message);
        return say(E.leftForm);
      case "submit": {
        if (!isComplete(entry)) return showStep(message, round, entry, firstOpenStep(entry), [E.incomplete]);
        entry = await submitEntry(ctx, entry);
        await leave(message);
        return say(E.submitted(roundView(round)));
      }
      case "edit":
        return showStep(message, round, entry, Math.min(4, Math.max(1, Number(arg))));
      case "grade": {
        const grade = parseGrade(arg ?? "");
        if (!grade) return say(E.badGrade, formChoices(round.id, 4, entry));
        const changed = entry.selfGrade === grade ? { entry, notes: [] } : await change(entry, { selfGrade: grade });
        return showStep(message, round, changed.entry, REVIEW, changed.notes);
      }
      default:
        return showStep(message, round, entry, step);
    }
  }

  /** Text typed while the form waits for it. */
  async function formText(message: IncomingMessage, state: FormState, text: string): Promise<OutgoingMessage[] | null> {
    const m = await findLinkedMember(prisma, message.channel, message.userId);
    const round = m ? await ownRound(m, state.roundId) : null;
    if (!m || !round) {
      await leave(message);
      return null;
    }
    if (state.step === REVIEW) return null; // the review waits for buttons; text is a question again
    if (!acceptsSelfAssessment(ctx, round)) return enterForm(message, m, round);
    if (state.step === 4) return formAction(message, m, round, "grade", text);
    const entry = await entryOf(ctx, round.id, m.id);
    const field = FORM_STEPS[state.step - 1]!.field;
    const value = entry[field] ? `${entry[field]}\n${text}` : text;
    if (value.length > MAX_FIELD) return say(E.tooLong(MAX_FIELD), formChoices(round.id, state.step, entry));
    const changed = await change(entry, { [field]: value });
    return say([...changed.notes, E.appended(value.length)].join("\n"), formChoices(round.id, state.step, changed.entry));
  }

  // ---------------------------------------------------------------- officers

  async function officerRound(m: LinkedMember): Promise<RoundWithCell | OutgoingMessage[]> {
    return (await latestRound(ctx, m.organizationId)) ?? say(E.noRound);
  }

  async function open(m: LinkedMember, rest: string): Promise<OutgoingMessage[]> {
    const [yearText = "", dueText = ""] = rest.split("|").map((s) => s.trim());
    if (!yearText || !dueText) return say(E.usage);
    const year = Number(yearText);
    if (!/^\d{4}$/.test(yearText) || year < 2000 || year > 2100) return say(E.badYear(yearText));
    const due = parseDueDate(dueText, zone, ctx.clock());
    if (!due.ok) return say(due.reason === "format" ? E.badDue(dueText) : due.reason === "invalid" ? E.invalidDue(dueText) : E.pastDue(dueText));
    const result = await openRound(ctx, { organizationId: m.organizationId, year, dueOn: due.dueOn, deadlineAt: due.deadlineAt, createdById: m.id });
    if ("existing" in result) return say(E.exists(roundView(result.existing)));
    return say(E.opened(roundView(result.round), result.linked, result.unlinked));
  }

  async function summary(round: RoundWithCell): Promise<OutgoingMessage[]> {
    const lines = await roster(ctx, round);
    const cap = await capStatus(ctx, round);
    const text = [
      E.summaryTitle(roundView(round), round.status === "closed"),
      "",
      ...lines.map((l) => E.summaryLine(l.n, l.member.fullName, !!l.entry?.submittedAt, gradeLabel(l.entry?.selfGrade), gradeLabel(l.entry?.proposedGrade), !!l.entry?.disciplined)),
      "",
      E.summaryCounts(lines.filter((l) => l.entry?.submittedAt).length, lines.length, lines.filter((l) => l.entry?.proposedGrade).length),
      E.capLine(cap.excellent, cap.good, cap.maxExcellent, config.EVALUATION_EXCELLENT_CAP_PERCENT, cap.ok),
    ].join("\n");
    return say(text, round.status === "open" ? [{ label: E.proposeLabel, value: `ev:pl:${round.id}` }] : undefined);
  }

  async function memberChoices(round: RoundWithCell): Promise<OutgoingMessage[]> {
    const lines = await roster(ctx, round);
    return say(
      E.pickMember,
      lines.map((l) => ({ label: `${l.n}. ${l.member.fullName}${l.entry?.proposedGrade ? ` (${gradeLabel(l.entry.proposedGrade)})` : ""}`, value: `ev:pm:${round.id}:${l.member.id}` })),
    );
  }

  async function recordProposal(m: LinkedMember, round: RoundWithCell, memberId: number, grade: Grade): Promise<OutgoingMessage[]> {
    if (round.status !== "open") return say(E.roundClosed(roundView(round)));
    const line = (await roster(ctx, round)).find((l) => l.member.id === memberId);
    if (!line) return say(E.memberNotInList(String(memberId)));
    const result = await propose(ctx, round, memberId, grade, m.id);
    if (!result.ok) return say(E.disciplineBar(line.member.fullName, gradeLabel(config.EVALUATION_DISCIPLINED_MAX_GRADE)));
    const cap = await capStatus(ctx, round);
    const lead = E.proposed(line.member.fullName, gradeLabel(grade));
    return say(cap.ok ? lead : `${lead}\n${E.capWarning(cap.excellent, cap.maxExcellent, config.EVALUATION_EXCELLENT_CAP_PERCENT)}`, [
      { label: E.proposeLabel, value: `ev:pl:${round.id}` },
    ]);
  }

  async function officerCommand(message: IncomingMessage, m: LinkedMember, sub: string, rest: string): Promise<OutgoingMessage[]> {
    if (!managesMeetings(m.role)) return say(E.notOfficer);
    if (sub === "mo") return open(m, rest);
    const round = await officerRound(m);
    if (Array.isArray(round)) return round;
    switch (sub) {
      case "tonghop":
      case "xem":
        return summary(round);
      case "xeploai": {
        if (round.status !== "open") return say(E.roundClosed(roundView(round)));
        if (!rest.trim()) return memberChoices(round);
        const [who = "", gradeText = ""] = rest.split("|").map((s) => s.trim());
        const line = findInRoster(await roster(ctx, round), who);
        if (!line) return say(E.memberNotInList(who));
        const grade = parseGrade(gradeText);
        if (!grade) return say(E.pickGrade(line.member.fullName), GRADES.map((g) => ({ label: gradeLabel(g), value: `ev:pg:${round.id}:${line.member.id}:${g}` })));
        return recordProposal(m, round, line.member.id, grade);
      }
      case "kyluat": {
        if (round.status !== "open") return say(E.roundClosed(roundView(round)));
        const [who = "", flag = ""] = rest.split("|").map((s) => s.trim());
        const line = findInRoster(await roster(ctx, round), who);
        if (!line) return say(E.memberNotInList(who));
        const on = fold(flag) !== "bo";
        const entry = await entryOf(ctx, round.id, line.member.id);
        await prisma.evaluationEntry.update({ where: { id: entry.id }, data: { disciplined: on } });
        const conflict = on && entry.proposedGrade && barredByDiscipline(entry.proposedGrade as Grade, config.EVALUATION_DISCIPLINED_MAX_GRADE);
        return say([E.disciplineSet(line.member.fullName, on), ...(conflict ? [E.disciplineConflict(line.member.fullName, gradeLabel(entry.proposedGrade))] : [])].join("\n"));
      }
      case "dong": {
        if (round.status !== "open") return say(E.roundClosed(roundView(round)));
        const problems = await closeProblems(ctx, round);
        if (problems.length) return say(E.cannotClose(problems));
        return say(E.closed(roundView(round), await closeRound(ctx, round)));
      }
      case "xuat": {
        if (!rest.trim()) {
          const csv = evaluationCsv(await evaluationSummary(ctx, round));
          return [{ text: E.exportCsv(roundView(round)), file: { fileName: `kiem-diem-${round.year}-tong-hop.csv`, mimeType: "text/csv; charset=utf-8", content: new TextEncoder().encode(csv) } }];
        }
        const line = findInRoster(await roster(ctx, round), rest);
        if (!line) return say(E.memberNotInList(rest.trim()));
        if (!line.entry?.submittedAt) return say(E.exportNotSubmitted(line.member.fullName));
        const file = await selfAssessmentDocx(ctx, round, line.member.id);
        return [{ text: E.exportDocx(line.member.fullName), file: file! }];
      }
      default:
        return say(E.usage);
    }
  }

  const commands: NonNullable<ConversationFeature["commands"]> = {
    async danhgia(message, args) {
      const m = await findLinkedMember(prisma, message.channel, message.userId);
      if (!m) return say(E.notRegistered);
      const [first = ""] = args.trim().split(/\s+/);
      const sub = fold(first);
      if (sub) return officerCommand(message, m, sub, args.trim().slice(first.length));
      const round = await latestRound(ctx, m.organizationId);
      return round ? enterForm(message, m, round) : say(E.noRound);
    },
  };

  return {
    name: "evaluation",
    commands,
    helpLines: E.help,
    needsAccount: true,

    async onChoice(message) {
      const v = /^ev:(start|f|e|g|pl|pm|pg):(\d{1,9})(?::([a-z_0-9]+))?(?::([a-z_]+))?$/.exec(message.choice ?? "");
      if (!v) return null;
      const m = await findLinkedMember(prisma, message.channel, message.userId);
      if (!m) return say(E.notRegistered);
      const roundId = Number(v[2]);
      if (v[1] === "pl" || v[1] === "pm" || v[1] === "pg") {
        const round = await prisma.evaluationRound.findUnique({ where: { id: roundId }, include: { organization: true } });
        if (!managesMeetings(m.role)) return say(E.notOfficer);
        if (!round || !(await canManageOrganization(prisma, m, round.organizationId))) return say(E.noRound);
        if (round.status !== "open") return say(E.roundClosed(roundView(round)));
        if (v[1] === "pl") return memberChoices(round);
        const memberId = Number(v[3]);
        const line = (await roster(ctx, round)).find((l) => l.member.id === memberId);
        if (!line) return say(E.memberNotInList(String(memberId)));
        if (v[1] === "pm") return say(E.pickGrade(line.member.fullName), GRADES.map((g) => ({ label: gradeLabel(g), value: `ev:pg:${round.id}:${memberId}:${g}` })));
        const grade = parseGrade(v[4] ?? "");
        return grade ? recordProposal(m, round, memberId, grade) : say(E.usage);
      }
      const round = await ownRound(m, roundId);
      if (!round) return say(E.noRound);
      if (v[1] === "start") return enterForm(message, m, round);
      if (v[1] === "e") return formAction(message, m, round, "edit", v[3]);
      if (v[1] === "g") return formAction(message, m, round, "grade", v[3]);
      return formAction(message, m, round, v[3] ?? "");
    },

    async onText(message) {
      const text = message.text.trim();
      if (message.kind !== "text" || !text || text.startsWith("/")) return null;
      const state = await formState(message);
      return state ? formText(message, state, text) : null;
    },
  };
}
