/**
 * Turning Vietnamese text into search terms. Everything is matched on accent-folded
 * syllables (đ→d), so "vao dang" finds "vào Đảng"; the accented form is kept beside it
 * so an exact accented match can rank higher.
 *
 *   queryTerms("Bao nhiêu tuổi thì được vào Đảng?")
 *   // → { words: ["tuoi","vao","dang"], bigrams: ["tuoi thi", ...], accented: ["tuổi","vào","đảng"] }
 */
import { fold, nfc, syllables } from "../text/vietnamese.js";

/**
 * Function words and question words that carry no topic: dropped from single-term
 * matching (still used inside syllable pairs, where "vào Đảng" or "có thẩm quyền" matter).
 * Listed with accents; a question typed without accents uses their folded forms, minus the
 * folded forms that are just as often a content word ("toi": tôi/tội, "bi": bị/dự bị).
 */
const STOP_WORDS_ACCENTED = (
  "của là thì có không được và các những một cho với trong khi đã để này đó ở mà nếu hay hoặc rồi còn cần " +
  "bao nhiêu gì nào sao thế ai mấy đâu chưa vậy ạ nhỉ nhé nha ơi tôi mình em anh chị bạn họ chúng " +
  "về từ đến theo tại bởi vì nên như cũng vẫn đang sẽ bị lại mới phải thôi nè muốn biết hỏi xin làm sau trước " +
  "lâu khoảng kiểu luôn thể từng lỡ chăng hả hở giúp ơi nhỉ " +
  // The rest of the kinship pronouns beside anh/chị/em ("ông tôi", "bác ấy", "cháu muốn hỏi").
  "ông bà cô chú bác cháu ấy " +
  // Colloquial fillers ("nộp kèm cái gì", "vài tháng", "giờ tính sao").
  "cái vài giờ nữa đấy chứ"
)
  .split(/\s+/)
  .filter(Boolean);
const AMBIGUOUS_FOLDED = new Set(["toi", "tu", "bi", "lai", "vi", "can", "the", "ho", "ban", "chung", "hoi", "dang", "xin", "lam", "chi", "sau", "truoc", "moi", "ba", "chu", "bac", "chau", "ay", "cai", "vai"]);
const STOP_ACCENTED = new Set(STOP_WORDS_ACCENTED);
const STOP_FOLDED = new Set(STOP_WORDS_ACCENTED.map(fold).filter((w) => !AMBIGUOUS_FOLDED.has(w)));

/** Whether a syllable carries no topic: judged on its accents when the question has them. */
export function isStopWord(syllable: string, accentsTyped?: boolean): boolean {
  const lower = nfc(syllable).toLowerCase();
  const folded = foldSyllable(lower);
  return (accentsTyped ?? folded !== lower) ? STOP_ACCENTED.has(lower) : STOP_FOLDED.has(folded);
}

/** isStopWord for syllables already lower-case NFC (the hot path of indexing). */
export function isStopSyllable(lower: string, folded: string): boolean {
  return folded !== lower ? STOP_ACCENTED.has(lower) : STOP_FOLDED.has(folded);
}

/** Whether the text carries any Vietnamese diacritic (then its accents can be trusted). */
export function hasAccents(text: string): boolean {
  return fold(text) !== nfc(text).toLowerCase();
}

export interface QueryTerms {
  /** Folded content syllables, unique, in order. */
  words: string[];
  /** Folded adjacent syllable pairs where at least one is a content syllable. */
  bigrams: string[];
  /** Accented content syllables (only when the question was typed with accents). */
  accented: string[];
  /** Folded adjacent pairs of two content syllables (candidate compound words). */
  contentPairs: string[];
}

/** Splits a question into the terms used for lexical matching. */
export function queryTerms(question: string): QueryTerms {
  const syl = syllables(question);
  const accentsTyped = hasAccents(question);
  const words: string[] = [];
  const accented: string[] = [];
  const bigrams: string[] = [];
  const contentPairs: string[] = [];
  const stop = syl.map((s) => isStopWord(s, accentsTyped));
  syl.forEach((s, i) => {
    const f = foldSyllable(s);
    if (!stop[i]) {
      if (!words.includes(f)) words.push(f);
      if (accentsTyped && !accented.includes(s)) accented.push(s);
    }
    if (i > 0 && !(stop[i] && stop[i - 1])) {
      const pair = `${foldSyllable(syl[i - 1]!)} ${f}`;
      if (!bigrams.includes(pair)) bigrams.push(pair);
      if (!stop[i] && !stop[i - 1] && !contentPairs.includes(pair)) contentPairs.push(pair);
    }
  });
  return { words, bigrams, accented, contentPairs };
}

const foldCache = new Map<string, string>();
/** fold() of one lower-case syllable, memoised: a corpus has a few thousand distinct syllables. */
export function foldSyllable(syllable: string): string {
  let f = foldCache.get(syllable);
  if (f === undefined) {
    if (foldCache.size > 200_000) foldCache.clear();
    f = fold(syllable);
    foldCache.set(syllable, f);
  }
  return f;
}

/** Folded syllables of a passage (for coverage features and embeddings). */
export function foldedSyllables(text: string): string[] {
  return syllables(text).map(foldSyllable);
}

/** The text stored in the FTS `accented` column. */
export function accentedText(text: string): string {
  return syllables(text).join(" ");
}
