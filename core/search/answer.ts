/**
 * Composing an answer from retrieved passages: the sentence that answers (best overlap
 * with the question's terms) is picked out of each shown passage, and the citation comes
 * from the document number/title and heading path. `renderAnswerText` is the plain
 * Vietnamese rendering used by the CLI; chat channels render the `Answer` data themselves.
 *
 *   const answer = composeAnswer(question, await kb.search(question, { k: 3 }));
 *   console.log(renderAnswerText(answer));
 */
import { answerType, hasAnswerOfType } from "./answer-type.js";
import { foldedSyllables, queryTerms } from "./terms.js";
import type { Answer, PassageHit, SearchResult } from "./types.js";

/** Passages shown to a member at most (the rest stay in `passages` for clients that want them). */
export const SHOWN_PASSAGES = 2;
/** A further passage is shown only when it scores nearly as well as the best. */
const SHOW_ALSO_RATIO = 0.9;

/** Splits passage text into sentences (also at line breaks: list items are sentences too). */
export function splitSentences(text: string): string[] {
  return text
    // Not after an item number such as "2." or "4.5.1." at the start of a clause.
    .split(/\n+|(?<=[.;!?])(?<!(?:^|\s)[\d.]*\d\.)\s+(?=[\p{Lu}\d"“(-])/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * The sentence of `text` sharing the most question terms (syllable pairs count double);
 * a sentence holding the kind of fact asked for ("bao nhiêu tuổi" → a number) wins ties.
 */
export function bestSentence(question: string, text: string): string {
  const terms = queryTerms(question);
  const asked = answerType(question);
  let best = "";
  let bestScore = -1;
  for (const sentence of splitSentences(text)) {
    const words = foldedSyllables(sentence);
    const set = new Set(words);
    const joined = ` ${words.join(" ")} `;
    let score = terms.words.filter((w) => set.has(w)).length;
    score += 2 * terms.bigrams.filter((b) => joined.includes(` ${b} `)).length;
    if (asked && hasAnswerOfType(asked, sentence)) score += 1.5;
    if (score > bestScore) {
      best = sentence;
      bestScore = score;
    }
  }
  return best;
}

/** Builds the Answer: highlights for the shown passages. */
export function composeAnswer(question: string, result: SearchResult): Answer {
  const top = result.passages[0]?.score ?? 0;
  const shown = result.answered
    ? result.passages.slice(0, SHOWN_PASSAGES).filter((p, i) => i === 0 || p.score >= SHOW_ALSO_RATIO * top)
    : [];
  return {
    question,
    answered: result.answered,
    passages: result.passages,
    highlights: shown.map((p) => ({ passageId: p.passageId, sentence: bestSentence(question, p.text) })),
  };
}

/** "Quy định 294-QĐ/TW › 3.5 › 3.5.1" style citation of a passage. */
export function citation(p: PassageHit): string {
  // Heading paths from the ingest pipeline already start with the document's label.
  if (p.heading && ((p.number && p.heading.includes(p.number)) || p.heading.startsWith(p.title))) return p.heading;
  const doc = p.number && p.number.length <= 24 ? `${p.title} (số ${p.number})` : p.title;
  return p.heading ? `${doc} › ${p.heading}` : doc;
}

/** Vietnamese user-facing strings of the Q&A answer. */
export const ANSWER_TEXT = {
  notFound: "Chưa tìm thấy nội dung trả lời câu hỏi này trong sổ tay.",
  rephrase:
    "Bạn thử hỏi lại ngắn gọn hơn, dùng đúng thuật ngữ (ví dụ: \"kết nạp đảng viên\", \"chuyển sinh hoạt đảng\", \"đảng phí\"), hoặc hỏi chi ủy/cấp ủy trực tiếp.",
  source: "Nguồn",
  alsoSee: "Xem thêm",
} as const;

/** Renders an Answer as plain text the way a member would read it. */
export function renderAnswerText(answer: Answer): string {
  if (!answer.answered || answer.highlights.length === 0) return `${ANSWER_TEXT.notFound}\n${ANSWER_TEXT.rephrase}`;
  const byId = new Map(answer.passages.map((p) => [p.passageId, p]));
  const blocks = answer.highlights.map((h, i) => {
    const p = byId.get(h.passageId)!;
    const rest = p.text.replace(h.sentence, "").trim();
    const lines = [i === 0 ? h.sentence : `${ANSWER_TEXT.alsoSee}: ${h.sentence}`];
    if (i === 0 && rest) lines.push("", rest.length > 700 ? `${rest.slice(0, 700).trimEnd()}…` : rest);
    lines.push(`(${ANSWER_TEXT.source}: ${citation(p)})`);
    return lines.join("\n");
  });
  return blocks.join("\n\n");
}
