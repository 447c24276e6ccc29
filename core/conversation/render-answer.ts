/**
 * An `Answer` from the knowledge base → the reply a member reads, one per mode:
 *   - answer:  the passage with its answering sentence in bold, one citation line, and the
 *              section shown under "Xem thêm" (a button to open it), if any;
 *   - choices: "Đồng chí muốn hỏi về:" and up to three sections as buttons (numbered on Zalo);
 *   - none:    "Chưa tìm thấy…", with two or three related sections the handbook does cover.
 * Choice values are `open:<passage id>`; the conversation core opens that passage on a pick.
 */
import { citation, sectionLabel } from "../search/answer.js";
import type { Answer, PassageHit } from "../search/types.js";
import { collapseSpace } from "../text/vietnamese.js";
import { bold, literal } from "./format.js";
import { ALSO_RELEVANT, AMENDED_APPLIES, AMENDED_RULE, CHOOSE_SECTION, FEEDBACK_DOWN, FEEDBACK_UP, NOT_ANSWERED, RELATED_SECTIONS, SOURCE_LABEL } from "./messages.js";
import type { Choice, OutgoingMessage } from "./types.js";

/** The value of a button that opens a passage ("open:<passage id>[:<question log id>]"). */
export const OPEN_PREFIX = "open:";
export const openChoice = (p: PassageHit, logId?: number): Choice => ({ label: sectionLabel(p), value: `${OPEN_PREFIX}${p.passageId}${logId === undefined ? "" : `:${logId}`}` });

/** 👍 / 👎 under an answer, when the question was logged. */
function feedbackChoices(logId: number | undefined): Choice[] {
  return logId === undefined ? [] : [
    { label: FEEDBACK_UP, value: `fb:${logId}:up`, kind: "feedback" },
    { label: FEEDBACK_DOWN, value: `fb:${logId}:down`, kind: "feedback" },
  ];
}

/** Sections offered with a "not found" at most. */
const RELATED = 3;

/** The reply to an answer; `logId` (the question's row in the question log) goes into its buttons. */
export function renderAnswer(answer: Answer, logId?: number): OutgoingMessage[] {
  const [best] = answer.passages;
  if (answer.mode === "answer" && best) {
    const quote = renderQuote(answer, best, logId);
    const choices = [...(quote.choices ?? []), ...feedbackChoices(logId)];
    return [{ text: quote.text, ...(choices.length ? { choices } : {}) }];
  }
  if (answer.mode === "choices" && answer.offered > 0) {
    return [{ text: CHOOSE_SECTION, choices: answer.passages.slice(0, answer.offered).map((p) => openChoice(p, logId)) }];
  }
  const related = answer.mode === "none" ? answer.passages.slice(0, RELATED) : [];
  return related.length ? [{ text: `${NOT_ANSWERED}\n\n${RELATED_SECTIONS}`, choices: related.map((p) => openChoice(p, logId)) }] : [{ text: NOT_ANSWERED }];
}

/** The quoted passage, its citation, and the section under "Xem thêm". */
function renderQuote(answer: Answer, best: PassageHit, logId?: number): OutgoingMessage {
  const sentenceOf = (p: PassageHit) => answer.highlights.find((h) => h.passageId === p.passageId)?.sentence;
  const lines = [highlightPassage(best.text, sentenceOf(best)), "", `📖 ${bold(`${SOURCE_LABEL}:`)} ${literal(citation(best))}`];
  const also = answer.highlights.length > 1 ? answer.passages.find((p) => p.passageId === answer.highlights[1]!.passageId) : undefined;
  if (!also) return { text: lines.join("\n") };
  if (answer.note === "amended") {
    // The older rule the quoted one changed: said in a line, so nobody acts on it by mistake.
    const said = sentenceOf(also)?.trim() || shorten(also.text, 240);
    lines.push("", `${bold(`${AMENDED_RULE(citation(also))}:`)} ${literal(said)}`, AMENDED_APPLIES);
    return { text: lines.join("\n") };
  }
  lines.push("", `${bold(`${ALSO_RELEVANT}:`)} ${literal(sectionLabel(also))}`);
  return { text: lines.join("\n"), choices: [{ ...openChoice(also, logId), label: `${ALSO_RELEVANT}: ${sectionLabel(also)}` }] };
}

/**
 * The passage text with `sentence` in bold where it occurs, else the sentence first. A
 * handbook passage opens with the question it answers: that line is not shown as if it
 * were the answer.
 */
function highlightPassage(text: string, sentence: string | undefined): string {
  const body = withoutLeadingQuestion(text.trim());
  const s = sentence?.trim();
  if (!s) return literal(body);
  const at = body.indexOf(s);
  if (at >= 0) return literal(body.slice(0, at)) + bold(s) + literal(body.slice(at + s.length));
  return `${bold(s)}\n\n${literal(body)}`;
}

function shorten(text: string, max: number): string {
  const t = collapseSpace(text);
  if (t.length <= max) return t;
  const cut = t.lastIndexOf(" ", max - 1);
  return `${t.slice(0, cut > max / 2 ? cut : max - 1)}…`;
}

function withoutLeadingQuestion(text: string): string {
  const [first, ...rest] = text.split("\n");
  return rest.length && collapseSpace(first!).endsWith("?") ? rest.join("\n").trim() : text;
}
