import { describe, expect, it } from "vitest";
import { adjacentPairs, containsPhrase, type PassageView } from "./features.js";

function view(folded: string[]): PassageView {
  return {
    id: 1,
    text: folded.join(" "),
    wordSet: new Set(folded),
    padded: ` ${folded.join(" ")} `,
    pairSet: adjacentPairs(folded),
    accentedSet: new Set(),
    questions: [],
    questionWords: new Set(),
    lead: [],
    types: new Map(),
  };
}

describe("containsPhrase", () => {
  it("answers as a substring search of the padded folded text does", () => {
    const words = ["dang", "vien", "du", "bi", "ket", "nap", "chi", "bo"];
    let state = 7;
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = (n: number) => Array.from({ length: n }, () => words[Math.floor(random() * words.length)]!);
    for (let t = 0; t < 300; t++) {
      const v = view(pick(3 + Math.floor(random() * 20)));
      const phrase = pick(1 + Math.floor(random() * 4));
      expect(containsPhrase(v, phrase)).toBe(v.padded.includes(` ${phrase.join(" ")} `));
    }
  });

  it("needs the words next to each other and in order", () => {
    const v = view(["dang", "vien", "du", "bi"]);
    expect(containsPhrase(v, ["vien", "du", "bi"])).toBe(true);
    expect(containsPhrase(v, ["dang", "du"])).toBe(false);
    expect(containsPhrase(v, ["bi", "du"])).toBe(false);
  });
});
