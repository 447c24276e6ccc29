/**
 * The core's formatted text → Telegram HTML (parse_mode "HTML"), and choices → an
 * inline keyboard. HTML needs only `&`, `<` and `>` escaped, so no user or passage
 * text can break the message (unlike MarkdownV2's eighteen special characters).
 */
import type { BotCommand, InlineKeyboardMarkup } from "grammy/types";
import type { MenuEntry } from "../../core/conversation/conversation.js";
import type { Choice, OutgoingMessage } from "../../core/conversation/types.js";
import { segments, splitText } from "../../core/conversation/format.js";

/** Telegram's limit for one message's text (after entity parsing). */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** Escapes text for Telegram's HTML parse mode. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}

/** Renders the core's `**bold**` text as Telegram HTML. */
export function toTelegramHtml(text: string): string {
  return segments(text)
    .map((s) => (s.bold ? `<b>${escapeHtml(s.text)}</b>` : escapeHtml(s.text)))
    .join("");
}

/** One button per row (labels are Vietnamese phrases, often too long to sit side by side); 👍 / 👎 share the last row. */
function inlineKeyboard(choices: Choice[]): InlineKeyboardMarkup {
  const button = (c: Choice) => ({ text: c.label, callback_data: c.value });
  const feedback = choices.filter((c) => c.kind === "feedback").map(button);
  const rows = choices.filter((c) => c.kind !== "feedback").map((c) => [button(c)]);
  return { inline_keyboard: feedback.length ? [...rows, feedback] : rows };
}

export interface TelegramPart {
  html: string;
  keyboard?: InlineKeyboardMarkup;
}

/** A message as the Telegram messages to send: split at clean boundaries, buttons on the last part. */
export function renderTelegram(message: OutgoingMessage): TelegramPart[] {
  const texts = splitText(message.text, TELEGRAM_TEXT_LIMIT);
  return texts.map((t, i) => ({
    html: toTelegramHtml(t),
    keyboard: i === texts.length - 1 && message.choices?.length ? inlineKeyboard(message.choices) : undefined,
  }));
}

/** The core's command menu as Telegram's "/" list: commands of 1-32 characters, descriptions cut at 256. */
export function telegramCommands(menu: MenuEntry[]): BotCommand[] {
  return menu.filter((e) => e.command.length <= 32).map((e) => ({ command: e.command, description: e.description.slice(0, 256) }));
}
