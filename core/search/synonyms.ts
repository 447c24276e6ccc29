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
  /** Every `from` phrase by its first syllable (group and position in it): a question reads only those that can match. */
  private readonly byFirst = new Map<string, { group: number; phrase: number }[]>();

  /** @param problems lines that could not be read, for the operator's log ("line 12: ...") */
  constructor(
    private readonly groups: SynonymGroup[],
    readonly problems: string[] = [],
  ) {
    groups.forEach((g, group) =>
      g.from.forEach((p, phrase) => {
        const list = this.byFirst.get(p[0]!);
        if (list) list.push({ group, phrase });
        else this.byFirst.set(p[0]!, [{ group, phrase }]);
      }),
    );
  }

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
    // Per group, its first phrase (in the file's order) found anywhere in the question.
    const firstHit = new Map<number, number>();
    for (let i = 0; i < folded.length; i++) {
      for (const { group, phrase } of this.byFirst.get(folded[i]!) ?? []) {
        if ((firstHit.get(group) ?? Infinity) > phrase && phraseAt(folded, i, this.groups[group]!.from[phrase]!)) firstHit.set(group, phrase);
      }
    }
    return [...firstHit.keys()]
      .sort((a, b) => a - b)
      .map((g) => {
        const hit = this.groups[g]!.from[firstHit.get(g)!]!;
        return { matched: hit, alternatives: this.groups[g]!.to.filter((p) => p !== hit) };
      });
  }

  get size(): number {
    return this.groups.length;
  }
}

/** Whether `phrase` runs contiguously in `words` from position `i`. */
function phraseAt(words: string[], i: number, phrase: string[]): boolean {
  if (i + phrase.length > words.length) return false;
  for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) return false;
  return true;
}
