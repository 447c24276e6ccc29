/**
 * The core's formatted text → Zalo plain text (Zalo's formatting is undocumented), and
 * choices → numbered lines the user answers with a number (Zalo has no buttons).
 */
import type { Choice, OutgoingMessage } from "../../core/conversation/types.js";
import { plainText, splitText } from "../../core/conversation/format.js";
import { ZALO_FEEDBACK_HINT, ZALO_REPLY_WITH_NUMBER } from "../../core/conversation/messages.js";

/** Zalo's limit for one message's text. */
export const ZALO_TEXT_LIMIT = 2000;

/** "1. Có mặt\n2. Vắng mặt\n\nTrả lời bằng số…" */
function numberedChoices(choices: Choice[]): string {
  const lines = choices.map((c, i) => `${i + 1}. ${plainText(c.label)}`);
  return `${lines.join("\n")}\n\n${ZALO_REPLY_WITH_NUMBER}`;
}

/** The choices a Zalo member answers with a number: all but 👍 / 👎, which are asked for as a typed "đúng" / "sai". */
export function numberedOf(choices: Choice[] | undefined): Choice[] {
  return (choices ?? []).filter((c) => c.kind !== "feedback");
}

/** A message as the Zalo texts to send: plain, split at clean boundaries, numbered choices at the end. */
export function renderZalo(message: OutgoingMessage): string[] {
  const parts = splitText(message.text, ZALO_TEXT_LIMIT).map(plainText);
  const numbered = numberedOf(message.choices);
  const feedback = message.choices?.some((c) => c.kind === "feedback");
  if (numbered.length || feedback) {
    const menu = [numbered.length ? numberedChoices(numbered) : "", feedback ? ZALO_FEEDBACK_HINT : ""].filter(Boolean).join("\n");
    const last = parts[parts.length - 1] ?? "";
    if (last.length + 2 + menu.length <= ZALO_TEXT_LIMIT) parts[parts.length - 1] = last ? `${last}\n\n${menu}` : menu;
    else parts.push(...splitText(menu, ZALO_TEXT_LIMIT));
  }
  return parts.filter((p) => p.trim().length > 0);
}

/** The choice a reply like "2" (or "2." or " 2 ") picks from the offered list, if any. */
export function pickNumberedChoice(text: string, choices: Choice[]): Choice | undefined {
  const m = /^\s*(\d{1,2})\s*[.)]?\s*$/.exec(text);
  if (!m) return undefined;
  return choices[Number(m[1]) - 1];
}
