/**
 * Step 3 of a search: one score per candidate, and the candidates grouped by section, best
 * first. The score is the log-odds that the passage is the one that answers, from one of two
 * logistic models fitted by `npm run fit:search` on questions whose section is known:
 *   - `withQuestions` for a passage that has questions members ask of it (data/questions);
 *   - `bare` for one that has none (a document just ingested without a question file).
 * Both are calibrated the same way, so a passage of a new document competes fairly with
 * passages whose questions add evidence.
 *
 *   const ranked = rankCandidates(candidates, RANKING);
 *   ranked[0].score;  // best
 */
import type { Features, FeatureName } from "./features.js";

/** log-odds = bias + Σ weight · feature. */
export interface LinearModel {
  bias: number;
  weights: Partial<Record<FeatureName, number>>;
}

export interface RankingModel {
  withQuestions: LinearModel;
  bare: LinearModel;
}

export interface Scored {
  id: number;
  /** Document id + section path: passages of one section are one choice for the member. */
  section: string;
  /** Whether members' questions are attached to it (which ranking model scored it). */
  questioned: boolean;
  features: Features;
  score: number;
}

export function scoreOf(features: Features, model: LinearModel): number {
  let s = model.bias;
  for (const [k, w] of weightsOf(model)) s += w * features[k];
  return s;
}

/** A model's weights as a list, read once per model (scoring runs for every candidate of every search). */
const weightLists = new WeakMap<LinearModel, [FeatureName, number][]>();
function weightsOf(model: LinearModel): [FeatureName, number][] {
  let list = weightLists.get(model);
  if (!list) {
    list = Object.entries(model.weights).map(([k, w]) => [k as FeatureName, w!]);
    weightLists.set(model, list);
  }
  return list;
}

/** Candidates sorted by score, best first. */
export function rankCandidates(candidates: Omit<Scored, "score">[], model: RankingModel): Scored[] {
  return candidates.map((c) => ({ ...c, score: scoreOf(c.features, c.questioned ? model.withQuestions : model.bare) })).sort((a, b) => b.score - a.score);
}

/** The best passage of each section, in rank order: what a member may be offered to pick from. */
export function bestPerSection(ranked: Scored[]): Scored[] {
  const seen = new Set<string>();
  return ranked.filter((c) => (seen.has(c.section) ? false : (seen.add(c.section), true)));
}
