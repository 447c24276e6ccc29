/**
 * The handbook's questions and answers inside the conversation core: a question is searched
 * and answered in one of three modes (render-answer.ts), logged for learning when a question
 * log is given (core/learning), and followed up by the member's buttons:
 *   - "open:<passage>[:<log>]"  a section picked among those offered (a pick teaches: learning);
 *   - "fb:<log>:up|down"        👍 / 👎 on an answer; typed "đúng" / "sai" where there are no buttons;
 *   - "ex:<n>"                  one of the example questions of the greeting.
 *
 *   const handbook = createHandbook({ answerer, logger, state, log });
 *   await handbook.ask(message, "bao nhiêu tuổi thì được vào Đảng?", {});
 */
import type { Logger } from "../logger.js";
import type { QuestionLog } from "../learning/question-log.js";
import type { Answer, Answerer } from "../search/types.js";
import { fold } from "../text/vietnamese.js";
import * as M from "./messages.js";
import type { RateLimiter } from "./rate-limiter.js";
import { OPEN_PREFIX, renderAnswer } from "./render-answer.js";
import type { ConversationStateStore } from "./state-store.js";
import type { ConversationFeature, IncomingMessage, OutgoingMessage } from "./types.js";

export interface HandbookOptions {
  answerer: Answerer;
  limiter: RateLimiter;
  logger: Logger;
  /** Remembers a chat's last question (a picked section is shown with its answer in bold) and last answer (typed feedback). */
  state?: ConversationStateStore;
  /** Where questions, feedback and picks are kept (absent: nothing is logged, no feedback buttons). */
  log?: QuestionLog;
  /** "typing…" after this long (see ConversationOptions). */
  typingDelayMs: number;
  /** Features that see a question before the search (ConversationFeature.onQuestion). */
  features?: ConversationFeature[];
}

export interface Handbook {
  ask(message: IncomingMessage, question: string, hooks: { onSearching?: () => void }): Promise<OutgoingMessage[]>;
  /** The handbook's buttons; null for a choice that is not its own. */
  onChoice(message: IncomingMessage): Promise<OutgoingMessage[] | null>;
  /** Typed feedback ("đúng" / "sai") on the chat's last answer; null for any other text. */
  onText(message: IncomingMessage): Promise<OutgoingMessage[] | null>;
}

const LAST_QUESTION = "qa.last";
const LAST_ANSWER = "qa.answer";
/** A member who was offered sections picks within this time; feedback on an answer likewise. */
const FOLLOW_UP_TTL = 3600;
/** Longest question accepted, in characters. */
const MAX_QUESTION_LENGTH = 1000;

const FEEDBACK = /^fb:(\d+):(up|down)$/;
const OPEN = /^open:(\d+)(?::(\d+))?$/;
const EXAMPLE = /^ex:(\d+)$/;

export function createHandbook(options: HandbookOptions): Handbook {
  const { answerer, logger, state, log } = options;

  /** Logs the question; the row's id goes into the reply's buttons. A failure to log never costs the member the answer. */
  async function logged(message: IncomingMessage, answer: Answer): Promise<number | undefined> {
    if (!log) return undefined;
    try {
      return await log.asked(message, answer);
    } catch (err) {
      logger.warn({ err, channel: message.channel }, "question not logged");
      return undefined;
    }
  }

  async function reply(message: IncomingMessage, answer: Answer, question: string): Promise<OutgoingMessage[]> {
    const logId = await logged(message, answer);
    if (answer.mode !== "answer" && answer.passages.length) await state?.set(message.channel, message.chatId, LAST_QUESTION, question, FOLLOW_UP_TTL);
    if (answer.mode === "answer" && logId !== undefined) await state?.set(message.channel, message.chatId, LAST_ANSWER, logId, FOLLOW_UP_TTL);
    return renderAnswer(answer, logId);
  }

  async function ask(message: IncomingMessage, question: string, hooks: { onSearching?: () => void }): Promise<OutgoingMessage[]> {
    const q = question.trim();
    if (!q) return [{ text: M.ASK_EMPTY }];
    if (q.length > MAX_QUESTION_LENGTH) return [{ text: M.TEXT_TOO_LONG(MAX_QUESTION_LENGTH) }];
    // A feature may answer it without the search (an exact reference) or add a line above the answer.
    const prefaces: string[] = [];
    for (const f of options.features ?? []) {
      const outcome = await f.onQuestion?.(message, q);
      if (outcome && "replies" in outcome) return outcome.replies;
      if (outcome) prefaces.push(outcome.preface);
    }
    const verdict = options.limiter.take(`${message.channel}:${message.userId}`);
    if (!verdict.ok) {
      logger.info({ channel: message.channel, retryAfter: verdict.retryAfterSeconds }, "question rate-limited");
      return [{ text: M.RATE_LIMITED(verdict.retryAfterSeconds) }];
    }
    const typing = hooks.onSearching ? setTimeout(hooks.onSearching, options.typingDelayMs) : undefined;
    const started = performance.now();
    let answer;
    try {
      answer = await answerer.answer(q);
    } finally {
      clearTimeout(typing);
    }
    logger.info({ channel: message.channel, mode: answer.mode, passages: answer.passages.length, ms: Math.round(performance.now() - started) }, "question answered");
    logger.debug({ question: q }, "question text");
    const replies = await reply(message, answer, q);
    return prefaces.length && replies[0] ? [{ ...replies[0], text: `${prefaces.join("\n")}\n\n${replies[0].text}` }, ...replies.slice(1)] : replies;
  }

  /** A member picked a section: record the pick (it may teach the handbook), then show the section as the answer. */
  async function open(message: IncomingMessage, passageId: number, logId: number | undefined): Promise<OutgoingMessage[]> {
    const question = await state?.get<string>(message.channel, message.chatId, LAST_QUESTION);
    const answer = await answerer.passage?.(passageId, question);
    if (!answer) return [{ text: M.CHOICE_EXPIRED }];
    if (logId !== undefined && log) {
      const { taught } = await log.picked(logId, message, answer.passages[0]!).catch((err: unknown) => {
        logger.warn({ err }, "pick not recorded");
        return { taught: false };
      });
      logger.info({ channel: message.channel, passageId, taught }, "section picked");
    } else logger.info({ channel: message.channel, passageId }, "section opened");
    // Feedback on a picked section is feedback on the same question.
    if (logId !== undefined) await state?.set(message.channel, message.chatId, LAST_ANSWER, logId, FOLLOW_UP_TTL);
    return renderAnswer(answer, logId);
  }

  async function feedback(message: IncomingMessage, logId: number, verdict: "up" | "down"): Promise<OutgoingMessage[]> {
    const saved = log ? await log.feedback(logId, message, verdict) : false;
    if (!saved) return [{ text: M.CHOICE_EXPIRED }];
    logger.info({ channel: message.channel, verdict }, "answer feedback");
    await state?.delete(message.channel, message.chatId, LAST_ANSWER);
    return [{ text: verdict === "up" ? M.FEEDBACK_THANKS : M.FEEDBACK_NOTED }];
  }

  return {
    ask,
    async onChoice(message) {
      const value = message.choice ?? "";
      let m: RegExpExecArray | null;
      if ((m = OPEN.exec(value))) return open(message, Number(m[1]), m[2] === undefined ? undefined : Number(m[2]));
      if ((m = FEEDBACK.exec(value))) return feedback(message, Number(m[1]), m[2] as "up" | "down");
      if ((m = EXAMPLE.exec(value))) {
        const example = M.EXAMPLE_QUESTIONS[Number(m[1])];
        return example ? ask(message, example, {}) : [{ text: M.CHOICE_EXPIRED }];
      }
      return value.startsWith(OPEN_PREFIX) ? [{ text: M.CHOICE_EXPIRED }] : null;
    },
    async onText(message) {
      const said = fold(message.text).replace(/[.!]+$/, "").trim();
      const verdict = M.FEEDBACK_WORDS.up.includes(said) ? "up" : M.FEEDBACK_WORDS.down.includes(said) ? "down" : undefined;
      if (!verdict) return null;
      const logId = await state?.get<number>(message.channel, message.chatId, LAST_ANSWER);
      return logId === undefined ? null : feedback(message, logId, verdict);
    },
  };
}
