/**
 * What members asked and what came of it (issue 9): every handbook question is logged with
 * the mode of the reply and the sections shown; members' feedback on an answer (👍 / 👎, or
 * "đúng" / "sai") and their picks among offered sections are added to its row. Once enough
 * different members (AUTO_TEACH_PICKS) have picked the same section for the same question,
 * that question is attached to the section, as an officer's `teach` would.
 *
 * Privacy: the asker is stored as a keyed hash only (core/members/account-pseudonym.ts), and
 * rows are deleted after QUESTION_LOG_DAYS (`prune`, run by the server's maintenance).
 *
 *   const log = createQuestionLog({ prisma, store, pseudonym, teacher: kb, autoTeachPicks: 3, countPicksFrom, logger });
 *   const id = await log.asked(message, answer);
 *   await log.feedback(id, message, "down");
 */
import type { PrismaClient } from "@prisma/client";
import type Database from "better-sqlite3";
import type pg from "pg";
import { retryWhileBusy } from "../db/busy.js";
import { postgresqlTime, sqliteTime, type Store } from "../db/store.js";
import type { Logger } from "../logger.js";
import type { Answer, PassageHit } from "../search/types.js";
import { foldedSyllables } from "../search/terms.js";
import { citation } from "../search/answer.js";

export type Verdict = "up" | "down";

/** Who asked: the conversation's incoming message carries these (learning needs no more of it). */
export interface Asker {
  channel: string;
  userId: string;
}

/** What learning needs from the knowledge base: attach a question to a picked passage's section. */
export interface PickTeacher {
  learnPick(question: string, passageId: number): Promise<{ added: boolean } | undefined>;
}

export interface QuestionLog {
  /** Logs a question and the reply's mode and sections; returns the row id (carried by the reply's buttons). */
  asked(message: Asker, answer: Answer): Promise<number>;
  /** Records 👍 / 👎 on an answer; false when the row is gone or belongs to another member. */
  feedback(logId: number, message: Asker, verdict: Verdict): Promise<boolean>;
  /** Records a pick among offered sections; `taught` when it made the question part of the handbook. */
  picked(logId: number, message: Asker, passage: PassageHit): Promise<{ taught: boolean }>;
  /** Deletes rows older than `days`; returns how many. */
  prune(days: number): Promise<number>;
}

export interface QuestionLogDeps {
  prisma: PrismaClient;
  /**
   * The store, for its raw connection: every question's row is one statement. On SQLite a prepared
   * one (through Prisma that insert took half of a cached answer's time, bench:webhook: 222 → 515
   * answers/s); on PostgreSQL one INSERT … RETURNING through the pool.
   */
  store: Pick<Store, "engine" | "sqlite"> & { pg?: pg.Pool };
  /** The asker's keyed hash (members/account-pseudonym.ts makes it): the log never holds a platform id. */
  pseudonym: (channel: string, userId: string) => Promise<string>;
  teacher?: PickTeacher;
  /** Distinct members who must pick the same section for the same question before it is attached (0: never). */
  autoTeachPicks: number;
  /**
   * Channels whose picks count towards it: those where the user id is the platform's (Telegram,
   * Zalo), not one the client chose (the web chat's session): otherwise one person could teach alone.
   */
  countPicksFrom: string[];
  logger: Logger;
}

/** The question's syllables, folded: the same question typed with or without accents has one key. */
export function questionKey(question: string): string {
  return foldedSyllables(question).join(" ");
}

/** A passage as logged: enough to group, report and teach, not its text. */
function shownOf(p: PassageHit) {
  return { passageId: p.passageId, source: p.source, sectionPath: p.sectionPath ?? "", citation: citation(p) };
}

/** How long a question's row waits for a lock held by another process before the update is retried later. */
const INSERT_DEADLINE_MS = 2_000;

interface NewRow {
  channel: string;
  asker: string;
  question: string;
  questionKey: string;
  mode: string;
  shown: string;
}

const INSERT_ROW = `INSERT INTO "QuestionLog" ("channel", "asker", "question", "questionKey", "mode", "shown", "createdAt")`;

/** Inserts a row on the store's engine, returning its id. */
function rowWriter(store: QuestionLogDeps["store"]): (row: NewRow) => Promise<number> {
  return store.engine === "postgresql" && store.pg ? postgresqlRowWriter(store.pg) : sqliteRowWriter(store.sqlite);
}

/** One prepared statement; a lock held by another process is waited for (then the update is retried later). */
function sqliteRowWriter(sqlite: Database.Database): (row: NewRow) => Promise<number> {
  const insert = sqlite
    .prepare(`${INSERT_ROW} VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING "id"`)
    .pluck();
  return (row) =>
    retryWhileBusy(() => Number(insert.get(row.channel, row.asker, row.question, row.questionKey, row.mode, row.shown, sqliteTime(new Date()))), {
      deadlineMs: INSERT_DEADLINE_MS,
    });
}

/** One INSERT … RETURNING on the shared database. */
function postgresqlRowWriter(pool: pg.Pool): (row: NewRow) => Promise<number> {
  return async (row) => {
    const { rows } = await pool.query<{ id: number }>(`${INSERT_ROW} VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING "id"`, [
      row.channel,
      row.asker,
      row.question,
      row.questionKey,
      row.mode,
      row.shown,
      postgresqlTime(new Date()),
    ]);
    return Number(rows[0]!.id);
  };
}

export function createQuestionLog(deps: QuestionLogDeps): QuestionLog {
  const { prisma, pseudonym, logger } = deps;
  const write = rowWriter(deps.store);

  async function ownRow(logId: number, message: Asker) {
    const row = await prisma.questionLog.findUnique({ where: { id: logId } });
    if (!row || row.asker !== (await pseudonym(message.channel, message.userId))) return undefined;
    return row;
  }

  return {
    async asked(message, answer) {
      const shown = answer.mode === "answer" ? answer.passages.slice(0, 1) : answer.passages.slice(0, Math.max(answer.offered, answer.mode === "none" ? 3 : 0));
      return write({
        channel: message.channel,
        asker: await pseudonym(message.channel, message.userId),
        question: answer.question,
        questionKey: questionKey(answer.question),
        mode: answer.mode,
        shown: JSON.stringify(shown.map(shownOf)),
      });
    },

    async feedback(logId, message, verdict) {
      if (!(await ownRow(logId, message))) return false;
      await prisma.questionLog.update({ where: { id: logId }, data: { feedback: verdict, feedbackAt: new Date() } });
      return true;
    },

    async picked(logId, message, passage) {
      const row = await ownRow(logId, message);
      if (!row || !passage.sectionPath) return { taught: false };
      await prisma.questionLog.update({ where: { id: logId }, data: { pickedSource: passage.source, pickedPath: passage.sectionPath, pickedAt: new Date() } });
      if (!deps.teacher || deps.autoTeachPicks < 1) return { taught: false };
      const agreeing = await prisma.questionLog.findMany({
        where: { questionKey: row.questionKey, pickedSource: passage.source, pickedPath: passage.sectionPath, channel: { in: deps.countPicksFrom } },
        select: { asker: true },
        distinct: ["asker"],
      });
      if (agreeing.length < deps.autoTeachPicks) return { taught: false };
      const taught = await deps.teacher.learnPick(row.question, passage.passageId);
      if (taught?.added) logger.info({ source: passage.source, section: passage.sectionPath, members: agreeing.length }, "question attached to a section members picked");
      return { taught: !!taught?.added };
    },

    async prune(days) {
      const before = new Date(Date.now() - days * 86_400_000);
      const r = await prisma.questionLog.deleteMany({ where: { createdAt: { lt: before } } });
      return r.count;
    },
  };
}
