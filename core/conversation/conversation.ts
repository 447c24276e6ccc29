/**
 * The conversation core: one platform-free handler behind Telegram, Zalo and the web
 * chat. It routes commands to their owner (its own /start, /trogiup, /hoi, or a
 * feature's), offers choices and text to features, answers the rest as handbook
 * questions, and turns a failure into a short apology with a correlation id that is
 * also in the log. The one failure it passes on is a locked database (isDatabaseBusy):
 * that is not the member's problem and goes away, so the caller retries the message
 * later (the inbox does) instead of apologising.
 *
 *   const conversation = createConversation({ answerer: kb, features: [meetings], logger });
 *   const replies = await conversation.handle(incoming);   // OutgoingMessage[]
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "../logger.js";
import { isDatabaseBusy } from "../db/busy.js";
import type { Answerer } from "../search/types.js";
import { nfc } from "../text/vietnamese.js";
import { commandKey, parseCommand } from "./commands.js";
import * as M from "./messages.js";
import { createRateLimiter, type RateLimiter } from "./rate-limiter.js";
import { createHandbook } from "./handbook.js";
import type { QuestionLog } from "../learning/question-log.js";
import { withSharedStateReads, type ConversationStateStore } from "./state-store.js";
import { smallTalk } from "./small-talk.js";
import type { ConversationFeature, IncomingMessage, OutgoingMessage } from "./types.js";

export interface ConversationOptions {
  answerer: Answerer;
  features?: ConversationFeature[];
  /** Question limit per user; default 20 a minute. */
  rateLimiter?: RateLimiter;
  logger: Logger;
  /** Remembers a chat's last question, so a section picked among choices is shown with that question's answer in bold. */
  state?: ConversationStateStore;
  /** Logs questions, feedback and picks (core/learning); without it answers carry no feedback buttons. */
  questionLog?: QuestionLog;
  /** Channels where a member's account can be linked (they deliver notices); default: all. Elsewhere, help leaves out what needs an account. */
  accountChannels?: string[];
  /**
   * "typing…" is shown only when an answer takes longer than this (default 300 ms):
   * a faster reply makes it pointless, and it costs a platform API call (Telegram
   * counts those against the bot's rate limit).
   */
  typingDelayMs?: number;
}

export interface HandleHooks {
  /** Called when a question is still being searched after `typingDelayMs` (adapters show "typing…"). */
  onSearching?: () => void;
}

export interface Conversation {
  /** Handles one incoming message; resolves with the replies (possibly none); rejects only when the database is locked. */
  handle(message: IncomingMessage, hooks?: HandleHooks): Promise<OutgoingMessage[]>;
  /** Commands with a one-line description, from the help lines: for a platform's command menu (Telegram's "/" list). */
  menu(): MenuEntry[];
}

export interface MenuEntry {
  /** Without the slash, lower case ASCII ("trogiup"). */
  command: string;
  description: string;
}

// "/hop <thời gian> | ... — (Bí thư) lên lịch họp" → command "hop", description "(Bí thư) lên lịch họp".
const HELP_LINE = /^\/([a-z0-9_]+)\b[^—]*—\s*(.+)$/;

/** Menu entries of help lines that start with a command and describe it after a dash; the first line of a command wins. */
export function menuFromHelp(lines: string[]): MenuEntry[] {
  const out: MenuEntry[] = [];
  for (const line of lines) {
    const m = HELP_LINE.exec(line.trim());
    if (m && !out.some((e) => e.command === m[1])) out.push({ command: m[1]!, description: m[2]!.trim() });
  }
  return out;
}

type CommandHandler = (message: IncomingMessage, args: string, hooks: HandleHooks) => Promise<OutgoingMessage[]>;

/** Builds the conversation core. Feature command names are matched accent- and case-insensitively. */
export function createConversation(options: ConversationOptions): Conversation {
  const { answerer, logger } = options;
  const features = options.features ?? [];
  const featureHelpLines = features.flatMap((f) => f.helpLines ?? []);
  /** Help on a channel: the lines of features that need a linked account only where one can be linked. */
  const helpLinesOn = (channel: string) =>
    features.filter((f) => !f.needsAccount || !options.accountChannels || options.accountChannels.includes(channel)).flatMap((f) => f.helpLines ?? []);
  const limiter = options.rateLimiter ?? createRateLimiter({ perMinute: 20 });
  const typingDelay = options.typingDelayMs ?? 300;

  const handbook = createHandbook({ answerer, limiter, logger, features, state: options.state, log: options.questionLog, typingDelayMs: typingDelay });
  const ask = handbook.ask;

  /** The greeting, with example questions to tap (the member need not know any command). */
  function greeting(): OutgoingMessage[] {
    return [{ text: M.GREETING, choices: M.EXAMPLE_QUESTIONS.map((q, i) => ({ label: q, value: `ex:${i}` })) }];
  }

  function help(channel: string): OutgoingMessage[] {
    const lines = [M.HELP_TITLE, ...[...M.HELP_CORE_LINES, ...helpLinesOn(channel)].map((l) => `• ${l}`), "", M.HELP_FOOTER];
    return [{ text: lines.join("\n") }];
  }

  const commands = new Map<string, CommandHandler>([
    ["start", async () => greeting()],
    ["batdau", async () => greeting()],
    ["trogiup", async (m) => help(m.channel)],
    ["help", async (m) => help(m.channel)],
    ["hoi", (m, args, hooks) => ask(m, args, hooks)],
  ]);
  for (const feature of features) {
    for (const [name, handler] of Object.entries(feature.commands ?? {})) {
      const key = commandKey(name);
      if (commands.has(key)) logger.warn({ feature: feature.name, command: key }, "command already taken; ignoring the feature's");
      else commands.set(key, (m, args) => handler(m, args));
    }
  }

  async function route(message: IncomingMessage, hooks: HandleHooks): Promise<OutgoingMessage[]> {
    if (message.kind === "choice") {
      const own = await handbook.onChoice(message);
      if (own) return own;
      for (const f of features) {
        const out = await f.onChoice?.(message);
        if (out) return out;
      }
      return [{ text: M.CHOICE_EXPIRED }];
    }
    if (message.kind !== "text") return [{ text: M.ONLY_TEXT }];

    const text = message.text.trim();
    if (!text) return [];
    const command = parseCommand(text);
    if (command) {
      const handler = commands.get(command.name);
      if (handler) return handler(message, command.args, hooks);
      // "/trợ giúp" typed with a space: the first word of the arguments may complete the name.
      const [next = "", ...rest] = command.args.split(/\s+/);
      const joined = commands.get(commandKey(command.name + next));
      if (next && joined) return joined(message, rest.join(" "), hooks);
      return [{ text: M.UNKNOWN_COMMAND(command.name) }];
    }
    for (const f of features) {
      const out = await f.onText?.(message);
      if (out) return out;
    }
    const judged = await handbook.onText(message);
    if (judged) return judged;
    const talk = smallTalk(text);
    if (talk === "greeting") return greeting();
    if (talk === "thanks") return [{ text: M.YOU_ARE_WELCOME }];
    return ask(message, text, hooks);
  }

  return {
    menu: () => menuFromHelp([...M.HELP_CORE_LINES, ...featureHelpLines]),
    async handle(incoming, hooks = {}) {
      const message: IncomingMessage = { ...incoming, text: nfc(incoming.text ?? "") };
      try {
        return await withSharedStateReads(() => route(message, hooks));
      } catch (err) {
        if (isDatabaseBusy(err)) throw err;
        const correlationId = randomUUID().slice(0, 8);
        logger.error({ err, correlationId, channel: message.channel, kind: message.kind }, "conversation handler failed");
        return [{ text: M.INTERNAL_ERROR(correlationId) }];
      }
    },
  };
}
