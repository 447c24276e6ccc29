/**
 * An `Answer` from the knowledge base → the reply a member reads: the best passage with
 * its answering sentence in bold (or put first when it cannot be found in place), the
 * citation, and a pointer to a second passage when there is one.
 */
import type { Answer, PassageHit } from "../search/types.js";
import type { OutgoingMessage } from "./types.js";
import { ALSO_RELEVANT, NOT_ANSWERED, SOURCE_LABEL } from "./messages.js";
import { bold, literal } from "./format.js";
import { collapseSpace } from "../text/vietnamese.js";
// One citation format everywhere (the ask CLI uses the same function).
import { citation } from "../search/answer.js";

/** The passage text with `sentence` in bold where it occurs, else the sentence first. */
function highlightPassage(text: string, sentence: string | undefined): string {
  const body = text.trim();
  const s = sentence?.trim();
  if (!s) return literal(body);
  const at = body.indexOf(s);
  if (at >= 0) return literal(body.slice(0, at)) + bold(s) + literal(body.slice(at + s.length));
  return `${bold(s)}\n\n${literal(body)}`;
}

/** Renders an answer (or the "not found" advice). */
export function renderAnswer(answer: Answer): OutgoingMessage[] {
  const [best, second] = answer.passages;
  if (!answer.answered || !best) return [{ text: NOT_ANSWERED }];
  const sentenceOf = (p: PassageHit) => answer.highlights.find((h) => h.passageId === p.passageId)?.sentence;

  const lines = [highlightPassage(best.text, sentenceOf(best)), "", `📖 ${bold(`${SOURCE_LABEL}:`)} ${literal(citation(best))}`];
  if (second) {
    const s = sentenceOf(second)?.trim() || shorten(second.text, 300);
    lines.push("", `${bold(`${ALSO_RELEVANT}:`)} ${literal(s)}`, `📖 ${literal(citation(second))}`);
  }
  return [{ text: lines.join("\n") }];
}

function shorten(text: string, max: number): string {
  const t = collapseSpace(text);
  if (t.length <= max) return t;
  const cut = t.lastIndexOf(" ", max - 1);
  return `${t.slice(0, cut > max / 2 ? cut : max - 1)}…`;
}
