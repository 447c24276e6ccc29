/**
 * The handbook's subject, as words (data/domain-terms.txt): a question that names none of
 * them ("Làm hộ chiếu ở đâu?", "giá vàng hôm nay") is outside what the handbook covers, and
 * the search says it found nothing instead of quoting a passage that happens to share
 * "giấy tờ" or "thủ tục" with it. A syllable typed with accents must match them ("đảng", not
 * "đăng ký"); one typed without matches any accents ("dang"). Chat abbreviations are written out first
 * ("dv" → đảng viên). An empty or missing list turns the check off.
 *
 *   const terms = DomainTerms.parse("đảng\nchi bộ\n");
 *   terms.mentionedIn("Làm hộ chiếu ở đâu?") // false
 */
import { fold, syllables } from "../text/vietnamese.js";

export class DomainTerms {
  /** Each term as lower-case syllables, with their folded forms. */
  private constructor(private readonly terms: { written: string[]; folded: string[] }[]) {}

  static empty(): DomainTerms {
    return new DomainTerms([]);
  }

  /** One term or phrase per line ("|" also separates terms); "#" starts a comment. */
  static parse(text: string): DomainTerms {
    const phrases = [
      ...new Set(
        text
          .split(/\r?\n/)
          .flatMap((line) => line.replace(/#.*/, "").split("|"))
          .map((p) => syllables(p).join(" "))
          .filter(Boolean),
      ),
    ];
    return new DomainTerms(phrases.map((p) => ({ written: p.split(" "), folded: fold(p).split(" ") })));
  }

  get size(): number {
    return this.terms.length;
  }

  /** Whether the question names a term of the handbook's subject; true when the list is empty. */
  mentionedIn(question: string): boolean {
    if (this.terms.length === 0) return true;
    const typed = syllables(question);
    const folded = typed.map((t) => fold(t));
    // A syllable typed with accents must match exactly; one typed without, in folded form.
    const same = (i: number, written: string, foldedTerm: string) => (typed[i] === folded[i] ? folded[i] === foldedTerm : typed[i] === written);
    return this.terms.some((t) => {
      for (let i = 0; i + t.written.length <= typed.length; i++) if (t.written.every((w, j) => same(i + j, w, t.folded[j]!))) return true;
      return false;
    });
  }
}
