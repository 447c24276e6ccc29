/**
 * Telegram updates at the edge: a zod schema per update kind the bot handles (a
 * message, a button press), so nothing of the wrong shape gets past the webhook, and
 * the translation of a valid update into the core's IncomingMessage. Only what the
 * core needs crosses.
 *
 *   const read = readTelegramUpdate(body);  // { kind: "invalid" } → 400, "ignored" → 200, "update" → inbox
 *   fromMessage(read.update.message)         // after processing starts
 */
import { z } from "zod";
import type { IncomingMessage } from "../../core/conversation/types.js";
import { parseCommand } from "../../core/conversation/commands.js";

const user = z.object({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
});
const chat = z.object({ id: z.number().int(), type: z.string() });

const message = z.object({
  message_id: z.number().int(),
  chat,
  from: user.optional(),
  text: z.string().optional(),
  reply_to_message: z.object({ message_id: z.number().int(), from: user.optional() }).optional(),
});

const callbackQuery = z.object({
  id: z.string(),
  from: user,
  data: z.string(),
  message: z.object({ message_id: z.number().int(), chat }).optional(),
});

/** What identifies an update; a body without it is not a Telegram update at all. */
const envelope = z.object({ update_id: z.number().int().nonnegative() });

/** The update kinds the bot handles, one schema each. */
const messageUpdate = envelope.extend({ message });
const callbackUpdate = envelope.extend({ callback_query: callbackQuery });

export type TelegramMessage = z.infer<typeof message>;
export type TelegramCallbackQuery = z.infer<typeof callbackQuery>;
export type TelegramUpdate = z.infer<typeof messageUpdate> | z.infer<typeof callbackUpdate>;

export type ReadUpdate =
  | { kind: "invalid"; reason: string }
  | { kind: "ignored"; updateId: number; reason: string }
  | { kind: "update"; update: TelegramUpdate; updateKey: string; chatKey: string };

/**
 * Classifies a webhook body (or a polled update): not an update (invalid), an update the
 * bot does not handle or of the wrong shape (ignored: acknowledged, never processed), or
 * a valid message / button press with its key and chat.
 */
export function readTelegramUpdate(body: unknown): ReadUpdate {
  const head = envelope.safeParse(body);
  if (!head.success) return { kind: "invalid", reason: "not a Telegram update: update_id missing or not a non-negative integer" };
  const updateId = head.data.update_id;
  const b = body as Record<string, unknown>;
  const schema = "message" in b ? messageUpdate : "callback_query" in b ? callbackUpdate : null;
  if (!schema) return { kind: "ignored", updateId, reason: "an update kind the bot does not handle" };
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join(".")).slice(0, 5);
    return { kind: "ignored", updateId, reason: `malformed ${schema === messageUpdate ? "message" : "callback_query"} (${where.join(", ")})` };
  }
  const update = parsed.data;
  const chatId = "message" in update ? update.message.chat.id : (update.callback_query.message?.chat.id ?? update.callback_query.from.id);
  return { kind: "update", update, updateKey: String(updateId), chatKey: String(chatId) };
}

function displayName(from: { first_name?: string; last_name?: string } | undefined): string | undefined {
  if (!from) return undefined;
  return [from.first_name, from.last_name].filter(Boolean).join(" ") || undefined;
}

/** A text or other message → IncomingMessage ("other" for stickers, photos, ...). */
export function fromMessage(message: TelegramMessage): IncomingMessage {
  return {
    channel: "telegram",
    chatId: String(message.chat.id),
    userId: String(message.from?.id ?? message.chat.id),
    userName: displayName(message.from),
    text: message.text ?? "",
    messageId: String(message.message_id),
    replyToMessageId: message.reply_to_message ? String(message.reply_to_message.message_id) : undefined,
    kind: message.text !== undefined ? "text" : "other",
  };
}

/** A button press → IncomingMessage of kind "choice". */
export function fromCallbackQuery(query: TelegramCallbackQuery): IncomingMessage {
  const message = query.message;
  return {
    channel: "telegram",
    chatId: String(message?.chat.id ?? query.from.id),
    userId: String(query.from.id),
    userName: displayName(query.from),
    text: "",
    messageId: message ? String(message.message_id) : undefined,
    replyToMessageId: message ? String(message.message_id) : undefined,
    choice: query.data,
    kind: "choice",
  };
}

/** True when a group command names another bot ("/hoi@OtherBot"): that one is not for us. */
function addressedToAnotherBot(text: string, botUsername: string | undefined): boolean {
  const addressee = parseCommand(text)?.addressee;
  return addressee !== undefined && botUsername !== undefined && addressee.toLowerCase() !== botUsername.toLowerCase();
}

/**
 * A group message's text if it is meant for this bot, else null: its commands (not another
 * bot's), replies to its messages, and messages naming it (the "@name" is taken out).
 *
 *   groupTextForBot("@sotay_bot đảng phí?", "sotay_bot", false) // "đảng phí?"
 *   groupTextForBot("hôm nay ai trực?", "sotay_bot", false)     // null
 */
export function groupTextForBot(text: string, botUsername: string | undefined, repliesToBot: boolean): string | null {
  if (addressedToAnotherBot(text, botUsername)) return null;
  const isCommand = text.trimStart().startsWith("/");
  const mentioned = !!botUsername && text.toLowerCase().includes(`@${botUsername.toLowerCase()}`);
  if (!isCommand && !mentioned && !repliesToBot) return null;
  return mentioned && !isCommand ? text.replace(new RegExp(`@${botUsername}\\b`, "gi"), " ").trim() : text;
}
