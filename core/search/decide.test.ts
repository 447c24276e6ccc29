import { describe, expect, it } from "vitest";
import { decide, type DecisionInput, type DecisionModel } from "./decide.js";
import { FEATURES, type Features } from "./features.js";
import type { Scored } from "./ranking.js";

const features = (over: Partial<Features> = {}): Features => ({ ...Object.fromEntries(FEATURES.map((f) => [f, 0])), ...over }) as Features;
const section = (id: number, score: number, questioned = true): Scored => ({ id, section: `1:s${id}`, questioned, features: features({ coverage: 1 }), score });

// A model that reads only the margin (single) and the best score (within), so each case is plain to see.
const pair = { single: { bias: -2, weights: { margin: 4 } }, within: { bias: -2, weights: { top: 1 } } };
const MODEL: DecisionModel = { withQuestions: pair, bare: { single: { bias: -10, weights: {} }, within: pair.within }, answerAt: 0.8, noneBelow: 0.3, maxChoices: 3, minWords: 2 };

const input = (sections: Scored[], over: Partial<DecisionInput> = {}): DecisionInput => ({
  sections,
  words: 4,
  inDomain: true,
  typeMissing: false,
  missingRare: 0,
  unreachedRare: 0,
  unknownShare: 0,
  typeMissingTop: false,
  ...over,
});

describe("answer, ask back, or say not found", () => {
  it("answers when one section stands out", () => {
    expect(decide(input([section(1, 5), section(2, 3)]), MODEL)).toMatchObject({ mode: "answer", offered: 1 });
  });

  it("offers up to three sections when some are likely but none stands out", () => {
    const d = decide(input([section(1, 4), section(2, 3.9), section(3, 3.8), section(4, 3.7)]), MODEL);
    expect(d).toMatchObject({ mode: "choices", offered: 3 });
    expect(d.rule).toMatch(/none stands out/);
  });

  it("says not found when no section is likely", () => {
    expect(decide(input([section(1, 0.5), section(2, 0.4)]), MODEL)).toMatchObject({ mode: "none" });
  });

  it("says not found, whatever the scores, outside the handbook's subject, for too few words, or when the kind of fact asked is missing", () => {
    const strong = [section(1, 9), section(2, 1)];
    expect(decide(input(strong, { inDomain: false }), MODEL).rule).toMatch(/subject/);
    expect(decide(input(strong, { words: 1 }), MODEL).mode).toBe("none");
    expect(decide(input(strong, { typeMissing: true }), MODEL).rule).toMatch(/kind of fact/);
    expect(decide(input([]), MODEL).mode).toBe("none");
  });

  it("reads a best passage without members' questions with the bare models", () => {
    // The bare single model here never commits: a new document's clear match is offered, not asserted.
    expect(decide(input([section(1, 5, false), section(2, 3, false)]), MODEL).mode).toBe("choices");
  });
});
