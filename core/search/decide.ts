/**
 * Step 4 of a search: answer, ask back, or say "not found". Two calibrated logistic models
 * (core/search/calibration.ts, fitted by `npm run fit:search` on questions the search had
 * not learnt from) read the ranked sections:
 *   - `single`: the probability that the best section is the right one;
 *   - `within`: the probability that one of the first three sections answers at all;
 * each in two versions, for a best passage with members' questions attached and without.
 * A member acts on a quoted answer, so the bot commits to one section only when `single`
 * clears a high bar; when some section is likely but none stands out, it offers up to three
 * to pick from; when none is likely, it says so. A few rules come first: they name
 * questions no ranking can answer (outside the handbook's subject, or asking for a kind of
 * fact no passage holds).
 *
 *   const d = decide(input, DECISION);   // { mode: "choices", rule: "…", single: 0.41, within: 0.83 }
 */
import type { Scored } from "./ranking.js";

export type Mode = "answer" | "choices" | "none";

export interface DecisionInput {
  /** The best passage of each section, best first. */
  sections: Scored[];
  /** Number of content words in the question. */
  words: number;
  inDomain: boolean;
  /** The kind of fact asked for is one no passage would spell out, and none of the first three sections holds it. */
  typeMissing: boolean;
  /** Rarest corpus word of the question that the best passage lacks (idf as a share of an unseen word's): it names what is asked. */
  missingRare: number;
  /** The same, for words missing from the best passage and from every question asked of it. */
  unreachedRare: number;
  /** Share of the question's weight in words no passage contains (typos, slang, or a subject the handbook lacks). */
  unknownShare: number;
  /** The question asks for a kind of fact (a duration, a number...) the best passage does not hold. */
  typeMissingTop: boolean;
}

/** A logistic model: P = σ(bias + Σ weight·feature), over named decision features. */
export interface LogisticModel {
  bias: number;
  weights: Record<string, number>;
}

/** The two probabilities' models for one kind of best passage. */
export interface DecisionPair {
  single: LogisticModel;
  within: LogisticModel;
}

export interface DecisionModel {
  /** When the best passage has members' questions attached, and when it has none (a document without a question file). */
  withQuestions: DecisionPair;
  bare: DecisionPair;
  /** Answer when P(best section right) reaches this. */
  answerAt: number;
  /** Say "not found" when P(an offered section right) is below this. */
  noneBelow: number;
  /** Sections offered to pick from, at most. */
  maxChoices: number;
  minWords: number;
}

export interface Decision {
  mode: Mode;
  /** Which rule chose the mode, in words (for --explain and the logs). */
  rule: string;
  single: number;
  within: number;
  /** How many sections to offer (choices mode). */
  offered: number;
}

/** What the calibration models read, all computed from the ranked sections. */
export function decisionFeatures(input: DecisionInput): Record<string, number> {
  const [top, second, third] = input.sections;
  const f = top?.features;
  return {
    top: top?.score ?? 0,
    margin: top ? top.score - (second?.score ?? 0) : 0,
    margin3: top ? top.score - (third?.score ?? second?.score ?? 0) : 0,
    coverage: f?.coverage ?? 0,
    reach: f?.reach ?? 0,
    asked: f?.asked ?? 0,
    askedGap: (f?.asked ?? 0) - (second?.features.asked ?? 0),
    question: f?.question ?? 0,
    first: f?.first ?? 0,
    pairs: f?.pairs ?? 0,
    answerType: f?.answerType ?? 0,
    missingRare: input.missingRare,
    unreachedRare: input.unreachedRare,
    unknownShare: input.unknownShare,
    typeMissingTop: input.typeMissingTop ? 1 : 0,
    words: Math.log(1 + input.words),
  };
}

export function probability(model: LogisticModel, features: Record<string, number>): number {
  let z = model.bias;
  for (const [name, w] of Object.entries(model.weights)) z += w * (features[name] ?? 0);
  return 1 / (1 + Math.exp(-z));
}

export function decide(input: DecisionInput, model: DecisionModel): Decision {
  const features = decisionFeatures(input);
  const pair = input.sections[0]?.questioned === false ? model.bare : model.withQuestions;
  const single = probability(pair.single, features);
  const within = probability(pair.within, features);
  const none = (rule: string): Decision => ({ mode: "none", rule, single, within, offered: 0 });
  if (!input.inDomain) return none("the question names nothing of the handbook's subject (data/domain-terms.txt)");
  if (input.words < model.minWords) return none(`fewer than ${model.minWords} content words`);
  if (input.sections.length === 0) return none("no passage shares a word with the question");
  if (input.typeMissing) return none("it asks for a kind of fact (a percentage, an amount, a count...) that none of the best sections holds");
  if (within < model.noneBelow) return none(`no section is likely to answer (P(one of the first ${model.maxChoices} right) = ${within.toFixed(2)} < ${model.noneBelow})`);
  if (single >= model.answerAt || input.sections.length === 1) {
    return { mode: "answer", rule: `one section stands out (P(best right) = ${single.toFixed(2)} ≥ ${model.answerAt})`, single, within, offered: 1 };
  }
  const offered = Math.min(model.maxChoices, input.sections.length);
  return { mode: "choices", rule: `several sections are plausible, none stands out (P(best right) = ${single.toFixed(2)} < ${model.answerAt})`, single, within, offered };
}
