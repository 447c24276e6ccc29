/**
 * Telegram updates → the core's IncomingMessage. Only what the core needs crosses.
 */
import type { CallbackQuery, Message } from "grammy/types";
import type { IncomingMessage } from "../../core/conversation/types.js";
import { parseCommand } from "../../core/conversation/commands.js";

function displayName(from: { first_name?: string; last_name?: string } | undefined): string | undefined {
  if (!from) return undefined;
  return [from.first_name, from.last_name].filter(Boolean).join(" ") || undefined;
}

/** A text or other message → IncomingMessage ("other" for stickers, photos, ...). */
export function fromMessage(message: Message): IncomingMessage {
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
export function fromCallbackQuery(query: CallbackQuery): IncomingMessage {
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
