/**
 * Domain synonyms (data/synonyms.txt): each line is a group of phrases that mean the same
 * thing in party vocabulary ("vào Đảng | kết nạp"). A question mentioning one phrase also
 * searches for the others. Matching is on folded syllables, so accents do not matter.
 * A line with "=>" maps one way ("nghỉ đẻ => thai sản"): what members type on the left, the
 * documents' word on the right. One way keeps a formal question from searching chat words
 * that, typed without accents, mean something else.
 *
 *   const syn = Synonyms.parse(fs.readFileSync("data/synonyms.txt", "utf8"));
 *   syn.expand(["ra","khoi","dang"]) // → [["xoa","ten"], ["khai","tru"], ...]
 */
import { foldedSyllables } from "./terms.js";

/** Phrases (folded syllables) that, when found in a question, also search `to`. */
interface SynonymGroup {
  from: string[][];
  to: string[][];
}

export class Synonyms {
  /** @param problems lines that could not be read, for the operator's log ("line 12: ...") */
  constructor(
    private readonly groups: SynonymGroup[],
    readonly problems: string[] = [],
  ) {}

  static empty(): Synonyms {
    return new Synonyms([]);
  }

  /**
   * Parses the file format: one group per line, phrases separated by "|", "#" starts a
   * comment; "left | left => right | right" maps the left phrases to the right ones only.
   */
  static parse(text: string): Synonyms {
    const groups: SynonymGroup[] = [];
    const problems: string[] = [];
    const phrases = (side: string) => side.split("|").map((p) => foldedSyllables(p)).filter((p) => p.length > 0);
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.replace(/#.*/, "").trim();
      if (!line) return;
      const [left, right, ...rest] = line.split("=>");
      if (right !== undefined) {
        const from = phrases(left!);
        const to = phrases(right);
        if (rest.length === 0 && from.length && to.length) groups.push({ from, to });
        else problems.push(`line ${i + 1}: a one-way line needs phrases on both sides of a single "=>"`);
        return;
      }
      const all = phrases(line);
      if (all.length > 1) groups.push({ from: all, to: all });
      else problems.push(`line ${i + 1}: a group needs at least two phrases separated by "|"`);
    });
    return new Synonyms(groups, problems);
  }

  /** Alternative phrases (folded syllables) for every phrase of `folded` found in a group. */
  expand(folded: string[]): { matched: string[]; alternatives: string[][] }[] {
    const out: { matched: string[]; alternatives: string[][] }[] = [];
    for (const group of this.groups) {
      const hit = group.from.find((p) => indexOfPhrase(folded, p) >= 0);
      if (hit) out.push({ matched: hit, alternatives: group.to.filter((p) => p !== hit) });
    }
    return out;
  }

  get size(): number {
    return this.groups.length;
  }
}

/** Position of `phrase` as a contiguous run inside `words`, or -1. */
export function indexOfPhrase(words: string[], phrase: string[]): number {
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return i;
  }
  return -1;
}
