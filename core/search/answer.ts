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
  // One search asks this twice for its top passage (precedence, then the answer itself).
  const key = `${question}\u0000${text}`;
  const known = recentSentences.get(key);
  if (known !== undefined) return known;
  if (recentSentences.size >= RECENT_SENTENCES) recentSentences.clear();
  const best = findBestSentence(question, text);
  recentSentences.set(key, best);
  return best;
}

const RECENT_SENTENCES = 32;
const recentSentences = new Map<string, string>();

function findBestSentence(question: string, text: string): string {
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

/** Builds the Answer: in "answer" mode, the answering sentence of the quoted passage and of the one shown under "Xem thêm". */
export function composeAnswer(question: string, result: SearchResult): Answer {
  const top = result.passages[0]?.score ?? 0;
  // A second passage is shown when it states the same rule in another document, is the rule the first changed, or scores nearly as well.
  const shown = result.mode === "answer" ? result.passages.slice(0, SHOWN_PASSAGES).filter((p, i) => i === 0 || result.note || p.score >= SHOW_ALSO_RATIO * top) : [];
  return {
    ...result,
    question,
    highlights: shown.map((p) => ({ passageId: p.passageId, sentence: bestSentence(question, p.text) })),
  };
}

/** The document's short label, which starts every heading path ("Điều lệ Đảng", "Quy định 294-QĐ/TW"). */
export function documentLabel(p: PassageHit): string {
  const label = p.heading.split(" › ")[0]?.trim();
  if (label && ((p.number && label.includes(p.number)) || p.title.startsWith(label) || label.startsWith("Điều lệ"))) return label;
  return p.number && p.number.length <= 24 ? `${p.title} (số ${p.number})` : p.title;
}

/**
 * One citation line, as members cite: "Điều lệ Đảng, Điều 5, khoản 1", "Quy định 294-QĐ/TW,
 * mục 4.5.1". A document without numbering (a handbook in Markdown) is cited by its heading path.
 */
export function citation(p: PassageHit): string {
  // A handbook's sections are its headings: its heading path reads better than "label, heading".
  const byHeadings = p.heading.endsWith(` › ${p.locator}`);
  if (p.locator && !byHeadings && !p.locator.includes(" › ")) return `${documentLabel(p)}, ${p.locator}`;
  // Heading paths from the ingest pipeline already start with the document's label.
  if (p.heading && ((p.number && p.heading.includes(p.number)) || p.heading.startsWith(p.title))) return p.heading;
  const doc = p.number && p.number.length <= 24 ? `${p.title} (số ${p.number})` : p.title;
  return p.heading ? `${doc} › ${p.heading}` : doc;
}

const LABEL_SUBJECT_CHARS = 48;

/**
 * A short, readable name for a passage's section, for buttons and "Xem thêm": its subject and
 * where it is, "Thời kỳ dự bị (Điều lệ Đảng, Điều 5, khoản 1)". Without a subject, the passage's
 * first words stand for it; never a bare reference.
 */
export function sectionLabel(p: PassageHit): string {
  const subject = shorten(p.subject || firstWords(p.text), LABEL_SUBJECT_CHARS);
  // A handbook's section is named by its heading, which is already the subject.
  const numbered = p.locator && !p.locator.includes(" › ") && p.locator !== p.subject && !p.heading.endsWith(` › ${p.locator}`);
  const where = numbered ? `${shortDocumentLabel(p)}, ${p.locator}` : shortDocumentLabel(p);
  return `${subject} (${where})`;
}

/** "Quy định 294-QĐ/TW"; a long title without a number is cut to its first words. */
function shortDocumentLabel(p: PassageHit): string {
  return shorten(documentLabel(p), 40);
}

/** The passage's opening words without its item number ("4.5.1.", "b)"). */
function firstWords(text: string): string {
  return text.replace(/^[\s\d.()a-zđ]*?(?=\p{Lu})/u, "").split(/[.;:\n]/)[0]!.trim();
}

function shorten(text: string, max: number): string {
  const t = text.replace(/\s+/g, " ").trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/u, "")}…`;
}
