/**
 * Domain synonyms (data/synonyms.txt): each line is a group of phrases that mean the same
 * thing in party vocabulary ("vào Đảng | kết nạp"). A question mentioning one phrase also
 * searches for the others. Matching is on folded syllables, so accents do not matter.
 *
 *   const syn = loadSynonyms("data/synonyms.txt");
 *   syn.expand(["ra","khoi","dang"]) // → [["xoa","ten"], ["khai","tru"], ...]
 */
import fs from "node:fs";
import { foldedSyllables } from "./terms.js";

export class Synonyms {
  constructor(private readonly groups: string[][][]) {}

  static empty(): Synonyms {
    return new Synonyms([]);
  }

  /** Parses the file format: one group per line, phrases separated by "|", "#" starts a comment. */
  static parse(text: string): Synonyms {
    const groups: string[][][] = [];
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.replace(/#.*/, "").trim();
      if (!line) continue;
      const phrases = line.split("|").map((p) => foldedSyllables(p)).filter((p) => p.length > 0);
      if (phrases.length > 1) groups.push(phrases);
    }
    return new Synonyms(groups);
  }

  /** Alternative phrases (folded syllables) for every phrase of `folded` found in a group. */
  expand(folded: string[]): { matched: string[]; alternatives: string[][] }[] {
    const out: { matched: string[]; alternatives: string[][] }[] = [];
    for (const group of this.groups) {
      const hit = group.find((p) => indexOfPhrase(folded, p) >= 0);
      if (hit) out.push({ matched: hit, alternatives: group.filter((p) => p !== hit) });
    }
    return out;
  }

  get size(): number {
    return this.groups.length;
  }
}

/** Reads the synonyms file; a missing file means no synonyms (logged by the caller). */
export function loadSynonyms(file: string): Synonyms | undefined {
  if (!fs.existsSync(file)) return undefined;
  return Synonyms.parse(fs.readFileSync(file, "utf8"));
}

/** Position of `phrase` as a contiguous run inside `words`, or -1. */
export function indexOfPhrase(words: string[], phrase: string[]): number {
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return i;
  }
  return -1;
}
