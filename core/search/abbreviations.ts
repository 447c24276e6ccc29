/**
 * Chat abbreviations in members' questions (data/abbreviations.txt): "dv du bi dc bn thang"
 * is written out as "dang vien du bi duoc bao nhieu thang" before search reads it, so the
 * question's terms, its asked answer type ("bao nhiêu" → a number) and the highlighted
 * sentence all see real words. Applied to questions only, never to documents.
 *
 * Only whole tokens are replaced (a run of letters/digits standing alone between spaces and
 * sentence punctuation), case-insensitively; "dvd", "đvị" and the "QĐ/TW" of a document
 * number are left alone. An abbreviation typed without accents matches ("dc" for "đc"); an
 * accented token must carry the file's accents ("hồng" is not "hông").
 * The expansion keeps the question's accent style: written with accents when the rest of the
 * question has them, folded otherwise, because search trusts accents only when all are typed.
 *
 *   const abbr = Abbreviations.parse(fs.readFileSync("data/abbreviations.txt", "utf8"));
 *   abbr.expand("dv du bi dc bn thang thi xet?") // → "dang vien du bi duoc bao nhieu thang thi xet?"
 */
import { fold, nfc } from "../text/vietnamese.js";
import { foldSyllable, hasAccents } from "./terms.js";

interface Entry {
  /** Lower-case NFC syllables of the abbreviation, as written in the file. */
  written: string[];
  /** The same syllables folded (accents removed, đ→d). */
  folded: string[];
  expansion: string;
}

/** One whitespace-separated chunk: sentence punctuation around a single letter/digit run. */
const CHUNK = /^([^\p{L}\p{N}]*)([\p{L}\p{N}]+)([^\p{L}\p{N}]*)$/u;
/** Punctuation that may stand beside an abbreviation; anything else ("/", "-") joins a longer word. */
const SENTENCE_PUNCTUATION = /^[\s.,;:!?…"'“”‘’()[\]]*$/u;

export class Abbreviations {
  /** Entries longest first, so "cấp 3" wins over a one-syllable entry starting the same way. */
  private readonly entries: Entry[];

  constructor(entries: Entry[]) {
    this.entries = [...entries].sort((a, b) => b.written.length - a.written.length);
  }

  static empty(): Abbreviations {
    return new Abbreviations([]);
  }

  /**
   * Parses the file format: one "abbreviation = expansion" per line, "#" starts a comment.
   * A malformed line is an operator's mistake, so it throws with the line number.
   */
  static parse(text: string): Abbreviations {
    const entries: Entry[] = [];
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = nfc(raw.replace(/#.*/, "")).trim();
      if (!line) return;
      const m = /^([^=]+)=([^=]+)$/.exec(line);
      const written = m ? m[1]!.toLowerCase().trim().split(/\s+/) : [];
      const expansion = m ? m[2]!.trim().replace(/\s+/g, " ") : "";
      if (!m || !expansion || !written.every((s) => /^[\p{L}\p{N}]+$/u.test(s))) {
        throw new Error(`abbreviations file, line ${i + 1}: expected "abbreviation = expansion", got "${raw.trim()}"`);
      }
      entries.push({ written, folded: written.map(fold), expansion });
    });
    return new Abbreviations(entries);
  }

  /** The question with every abbreviation written out; everything else is kept as typed (NFC). */
  expand(question: string): string {
    const parts = nfc(question).split(/(\s+)/); // even indexes: chunks, odd: the spaces between
    const chunks = parts.map((p, i) => (i % 2 === 0 ? CHUNK.exec(p) : null));
    const found: { from: number; to: number; entry: Entry }[] = [];
    for (let i = 0; i < parts.length; i += 2) {
      const entry = this.entries.find((e) => matchesAt(chunks, i, e));
      if (!entry) continue;
      found.push({ from: i, to: i + 2 * (entry.written.length - 1), entry });
      i += 2 * (entry.written.length - 1);
    }
    if (found.length === 0) return parts.join("");
    // The accent style of what the member typed themselves decides how expansions are written.
    const own = parts.filter((_, i) => i % 2 === 0 && !found.some((f) => i >= f.from && i <= f.to)).join(" ");
    const accented = hasAccents(own);
    for (const f of found.reverse()) {
      const expansion = accented ? f.entry.expansion : fold(f.entry.expansion);
      const text = `${chunks[f.from]![1]}${expansion}${chunks[f.to]![3]}`;
      parts.splice(f.from, f.to - f.from + 1, text);
    }
    return parts.join("");
  }

  get size(): number {
    return this.entries.length;
  }
}

/** Whether `entry` matches the chunks starting at even index `i` (inner chunks without punctuation). */
function matchesAt(chunks: (RegExpExecArray | null)[], i: number, entry: Entry): boolean {
  const last = i + 2 * (entry.written.length - 1);
  if (last >= chunks.length) return false;
  for (let j = 0; j < entry.written.length; j++) {
    const c = chunks[i + 2 * j];
    if (!c) return false;
    const lead = c[1]!;
    const trail = c[3]!;
    if (!SENTENCE_PUNCTUATION.test(lead) || !SENTENCE_PUNCTUATION.test(trail)) return false;
    if ((j > 0 && lead) || (i + 2 * j < last && trail)) return false;
    const token = c[2]!.toLowerCase();
    const folded = foldSyllable(token);
    if (folded !== entry.folded[j] || (folded !== token && token !== entry.written[j])) return false;
  }
  return true;
}
