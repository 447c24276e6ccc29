/**
 * Composing an answer from retrieved passages: the sentence that answers (best overlap
 * with the question's terms) is picked out of each shown passage, and the citation comes
 * from the document number/title and heading path. The conversation core renders the
 * `Answer` for members (core/conversation/render-answer.ts); the ask CLI prints that too.
 *
 *   const answer = composeAnswer(question, await kb.search(question, { k: 3 }));
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
  const sentences = splitSentences(text);
  // A question restated in the passage (a handbook heading, "Đóng đảng phí bao nhiêu?")
  // shares the most words with the question but answers nothing.
  // So is a section title ("3.2. Đơn xin vào Đảng", "7.2. Đảng viên ... có quyền hạn sau:").
  const statements = sentences.filter((s) => !s.endsWith("?") && !isTitle(s));
  for (const sentence of statements.length > 0 ? statements : sentences) {
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

/** An item number ("3.2.", "II.", "a)", "Điều 5:") opening a line that states nothing: short, or without a final full stop. */
const NUMBERED = /^(?:(?:\d+\.)+\d*|[IVX]+\.|[A-ZĐ]\.|[a-zđ]\)|Điều \d+[.:]?)\s/u;
function isTitle(sentence: string): boolean {
  if (!NUMBERED.test(sentence) || sentence.length > 160) return false;
  return sentence.length <= 60 || sentence.endsWith(":") || !/[.;]$/.test(sentence);
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
