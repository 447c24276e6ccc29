/**
 * Fits the search's numbers (core/search/calibration.ts) on questions it did not learn from:
 * `npm run fit:search [-- --groups A,B]`.
 *
 * data/questions holds groups of questions per document, written independently (`nhóm:` A,
 * B...). The corpus is ingested once per group with only the other groups' questions attached,
 * and each group's questions are searched there: they are unseen member questions, labelled
 * with their section. It is ingested once more with no question at all: a document just
 * ingested without a question file. The near-domain questions of
 * bench/fit-data/unanswerable.txt are the negatives.
 *
 *  1. Ranking: two pointwise logistic regressions of "this candidate holds the question's
 *     section" over the candidates' features, one for passages with questions attached and one
 *     for passages without, so both score on one scale (log-odds). Measured on each group with
 *     models fitted on the others, then fitted on all.
 *  2. Decision: logistic regressions of "the best section is right" (single) and "one of the
 *     first three sections is right" (within) over the decision features, for a best passage
 *     with and without questions, fitted the same cross-wise way, so the bars are chosen on
 *     out-of-sample probabilities.
 *  3. Bars: the answer bar is the lowest that keeps confidently wrong answers within
 *     WRONG_BUDGET of answerable questions; the not-found bar the highest that leaves at most
 *     NONE_BUDGET of them unanswered.
 *
 * Prints the figures and the values for core/search/calibration.ts. Needs ../shared/corpus.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig, PROJECT_ROOT } from "../core/config.js";
import { openStore, type Store } from "../core/db/store.js";
import { KnowledgeBase } from "../core/knowledge/knowledge-base.js";
import { parseQuestionFile, type QuestionFile } from "../core/knowledge/question-file.js";
import { createCliLogger } from "../core/logger.js";
import { DECISION } from "../core/search/calibration.js";
import { decisionFeatures, type DecisionModel, type DecisionPair } from "../core/search/decide.js";
import { FEATURES, type FeatureName } from "../core/search/features.js";
import type { LinearModel, RankingModel } from "../core/search/ranking.js";
import { ingestCorpus } from "./corpus.js";
import { fitLogistic, fitPairwise, predict, type Fitted } from "./logistic.js";
import { RANKING as DEFAULT_RANKING } from "../core/search/calibration.js";

const CORPUS = path.join(PROJECT_ROOT, "..", "shared", "corpus");
const QUESTIONS = path.join(PROJECT_ROOT, "data", "questions");
const NEGATIVES = path.join(PROJECT_ROOT, "bench", "fit-data", "unanswerable.txt");
const arg = (name: string) => process.argv.find((a, i) => process.argv[i - 1] === name);
const GROUPS = (arg("--groups") ?? "A,B").split(",");
/** Wrong candidates per question in the ranking fit (the best-scored ones: those the ranking must beat). */
const NEGATIVE_CANDIDATES = 20;
/** The share of answerable questions allowed to be answered wrongly, or not at all, when choosing the bars. */
const WRONG_BUDGET = 0.03;
const NONE_BUDGET = 0.03;
const logger = createCliLogger({ LOG_LEVEL: "warn" });

interface Labelled {
  text: string;
  group: string;
  source: string;
  path: string;
}

/** The question files without the lines of one group. */
function others(files: QuestionFile[], group: string): QuestionFile[] {
  return files.map((f) => ({ ...f, questions: f.questions.filter((q) => q.group !== group) }));
}

async function openCorpusStore(tag: string, files: QuestionFile[]): Promise<{ kb: KnowledgeBase; store: Store; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sotay-fit-${tag}-`));
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: "warn" });
  const store = await openStore(config);
  const kb = await KnowledgeBase.open(config, { logger, store });
  await ingestCorpus(CORPUS, kb);
  await kb.syncQuestions(files);
  return { kb, store, dir };
}

/** Passage id → the (source, section path) pairs it holds. */
function sectionsOfPassages(store: Store): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  const rows = store.sqlite
    .prepare(`SELECT ps.passageId AS id, d.source AS source, ps.path AS path FROM PassageSection ps JOIN Passage p ON p.id = ps.passageId JOIN Document d ON d.id = p.documentId`)
    .all() as { id: number; source: string; path: string }[];
  for (const r of rows) {
    const set = out.get(r.id) ?? new Set<string>();
    set.add(`${r.source}#${r.path}`);
    out.set(r.id, set);
  }
  return out;
}

interface Run {
  labelled?: Labelled;
  /** Every ranked candidate: features, whether it holds the question's section, whether it has questions. */
  candidates: { features: Record<FeatureName, number>; right: boolean; questioned: boolean }[];
  signals: Record<string, number>;
  /** Whether the best passage has questions attached (which decision pair applies). */
  topQuestioned: boolean;
  /** Rules that decide before the models: outside the subject, too short, a kind of fact none holds. */
  ruledNone: boolean;
  /** Rank (0-based) of the first section holding the answer among the ranked sections, -1 if none. */
  sectionRank: number;
}

async function runAll(kb: KnowledgeBase, sectionsOf: Map<number, Set<string>>, questions: (Labelled | string)[]): Promise<Run[]> {
  const runs: Run[] = [];
  for (const q of questions) {
    const labelled = typeof q === "string" ? undefined : q;
    const r = await kb.retrieve(labelled?.text ?? (q as string), 5, 200);
    const key = labelled ? `${labelled.source}#${labelled.path}` : "";
    const holds = (id: number) => !!labelled && (sectionsOf.get(id)?.has(key) ?? false);
    const candidates = r.ranked.map((c) => ({ features: c.features, right: holds(c.hit.passageId), questioned: c.questioned }));
    const seen = new Set<string>();
    const sectionOrder = r.ranked.filter((c) => (seen.has(c.section) ? false : (seen.add(c.section), true)));
    const sectionRank = labelled ? sectionOrder.findIndex((c) => holds(c.hit.passageId)) : -1;
    runs.push({ labelled, candidates, signals: r.signals, topQuestioned: r.ranked[0]?.questioned ?? false, ruledNone: !r.inDomain || !r.typeFound || r.words < DECISION.minWords, sectionRank });
  }
  return runs;
}

/** Features each ranking model reads: the bare one cannot use what questions give. */
const QUESTION_FEATURES: FeatureName[] = ["question", "asked", "reach"];
const featuresOf = (questioned: boolean) => FEATURES.filter((f) => questioned || !QUESTION_FEATURES.includes(f));

/**
 * One ranking model: pairwise logistic weights (what ranks best), then Platt scaling (a 1-D
 * logistic of "right" on that score) so that the score is a log-odds comparable across models.
 */
function fitRanking(runs: Run[], questioned: boolean): LinearModel {
  const names = featuresOf(questioned);
  const groups: { x: number[][]; right: boolean[] }[] = [];
  for (const r of runs) {
    if (!r.candidates.some((c) => c.right && c.questioned === questioned)) continue;
    let wrong = 0;
    const kept = r.candidates.filter((c) => c.questioned === questioned && (c.right || wrong++ < NEGATIVE_CANDIDATES));
    groups.push({ x: kept.map((c) => names.map((f) => c.features[f])), right: kept.map((c) => c.right) });
  }
  const w = fitPairwise(groups, { l2: 1 });
  const scores = groups.flatMap((g) => g.x.map((x) => [x.reduce((a, v, k) => a + v * w[k]!, 0)]));
  const platt = fitLogistic(scores, groups.flatMap((g) => g.right), { l2: 0.01 });
  const a = platt.weights[0]!;
  return { bias: round(platt.bias), weights: Object.fromEntries(names.map((f, k) => [f, round(a * w[k]!)])) };
}

function fitRankingModel(runs: Run[]): RankingModel {
  return { withQuestions: fitRanking(runs, true), bare: fitRanking(runs, false) };
}

const scoreWith = (model: RankingModel, c: Run["candidates"][number]) => {
  const m = c.questioned ? model.withQuestions : model.bare;
  return m.bias + Object.entries(m.weights).reduce((a, [f, w]) => a + w! * c.features[f as FeatureName], 0);
};

function rankingFigures(runs: Run[], model: RankingModel): string {
  let h1 = 0, h3 = 0, n = 0;
  for (const r of runs) {
    if (!r.labelled) continue;
    n++;
    const scored = r.candidates.map((c) => ({ right: c.right, s: scoreWith(model, c) })).sort((a, b) => b.s - a.s);
    const rank = scored.findIndex((c) => c.right);
    if (rank === 0) h1++;
    if (rank >= 0 && rank < 3) h3++;
  }
  return `passage hit@1 ${pct(h1 / n)}, hit@3 ${pct(h3 / n)} (${n} questions)`;
}

const SIGNALS = Object.keys(decisionFeatures({ sections: [], words: 0, inDomain: true, typeMissing: false, missingRare: 0, unreachedRare: 0, unknownShare: 0, typeMissingTop: false }));
/** Unanswerable questions weigh this much more in the "within" fit: members ask them about one time in eight, our negatives are one in twelve, and missing them costs a wrong quote. */
const NEGATIVE_WEIGHT = 4;
const vec = (r: Run) => SIGNALS.map((s) => r.signals[s] ?? 0);

function toModel(m: Fitted): { bias: number; weights: Record<string, number> } {
  return { bias: round(m.bias), weights: Object.fromEntries(SIGNALS.map((s, k) => [s, round(m.weights[k]!)]).filter(([, w]) => w !== 0)) };
}

function fitPair(runs: Run[]): { single: Fitted; within: Fitted } {
  const use = runs.filter((r) => !r.ruledNone);
  const weight = (i: number) => (use[i]!.labelled ? 1 : NEGATIVE_WEIGHT);
  return {
    single: fitLogistic(use.map(vec), use.map((r) => r.sectionRank === 0), { l2: 2 }),
    within: fitLogistic(use.map(vec), use.map((r) => r.sectionRank >= 0 && r.sectionRank < DECISION.maxChoices), { l2: 2, weight }),
  };
}

interface Probabilities {
  run: Run;
  single: number;
  within: number;
}

/** Mode outcomes at the given bars, as the benchmark counts them. */
function outcomes(ps: Probabilities[], answerAt: number, noneBelow: number, maxChoices: number) {
  let ans = 0, oneTap = 0, wrong = 0, covered = 0, none = 0, un = 0, unAnswer = 0, unNone = 0;
  for (const p of ps) {
    const mode = p.run.ruledNone || p.within < noneBelow ? "none" : p.single >= answerAt ? "answer" : "choices";
    if (!p.run.labelled) {
      un++;
      if (mode === "answer") unAnswer++;
      if (mode === "none") unNone++;
      continue;
    }
    ans++;
    if (mode === "answer") {
      covered++;
      if (p.run.sectionRank === 0) oneTap++;
      else wrong++;
    } else if (mode === "choices" && p.run.sectionRank >= 0 && p.run.sectionRank < maxChoices) oneTap++;
    if (mode === "none") none++;
  }
  return { oneTap: oneTap / ans, wrong: wrong / ans, coverage: covered / ans, none: none / ans, unAnswer: unAnswer / Math.max(1, un), unNone: unNone / Math.max(1, un) };
}

function modeTable(title: string, ps: Probabilities[], bars: [number, number][]): void {
  console.log(`\n${title}\nbars       one-tap  conf-wrong  coverage  answerable→none  unanswerable→answer  unanswerable→none`);
  for (const [a, b] of bars) {
    const o = outcomes(ps, a, b, DECISION.maxChoices);
    console.log(`${a.toFixed(2)}/${b.toFixed(2)}  ${pct(o.oneTap).padStart(8)}  ${pct(o.wrong).padStart(10)}  ${pct(o.coverage).padStart(8)}  ${pct(o.none).padStart(15)}  ${pct(o.unAnswer).padStart(19)}  ${pct(o.unNone).padStart(17)}`);
  }
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const round = (x: number) => Math.round(x * 1000) / 1000;

async function main() {
  if (!fs.existsSync(CORPUS)) throw new Error(`fit:search needs the corpus at ${CORPUS}`);
  const files = fs.readdirSync(QUESTIONS).filter((f) => f.endsWith(".txt")).sort().map((f) => parseQuestionFile(fs.readFileSync(path.join(QUESTIONS, f), "utf8"), f));
  const negatives = fs.readFileSync(NEGATIVES, "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));

  // The labelled questions come from the full store; one store per group holds the other groups' questions.
  const full = await openCorpusStore("all", files);
  const labelled = (full.store.sqlite.prepare(`SELECT text, batch, source, sectionPath AS path FROM SectionQuestion WHERE origin = 'file'`).all() as { text: string; batch: string; source: string; path: string }[])
    .map((q) => ({ text: q.text, group: q.batch.split("#")[1] ?? "", source: q.source, path: q.path }))
    .filter((q) => GROUPS.includes(q.group));
  const sectionsOf = sectionsOfPassages(full.store);
  const stores = new Map<string, Awaited<ReturnType<typeof openCorpusStore>>>();
  for (const g of GROUPS) stores.set(g, await openCorpusStore(g, others(files, g)));
  const bareStore = await openCorpusStore("bare", []);
  const negativesOf = (i: number) => negatives.filter((_, j) => j % GROUPS.length === i);
  const plan = GROUPS.map((g, i) => ({ group: g, questions: [...labelled.filter((q) => q.group === g), ...negativesOf(i)] }));
  // Without questions, every other labelled question is enough to fit the bare models.
  const bareQuestions = [...labelled.filter((_, i) => i % 2 === 0), ...negatives];
  console.log(`# fit:search (${new Date().toISOString()}): ${labelled.length} labelled questions (groups ${GROUPS.join(", ")}), ${negatives.length} unanswerable`);

  const searchAll = async (ranking?: RankingModel) => {
    const kbOf = async (s: Awaited<ReturnType<typeof openCorpusStore>>) =>
      ranking ? KnowledgeBase.open(loadConfig({ DATA_DIR: s.dir, LOG_LEVEL: "warn" }), { logger, store: s.store, retrieval: { ranking } }) : s.kb;
    const cross = new Map<string, Run[]>();
    for (const p of plan) cross.set(p.group, await runAll(await kbOf(stores.get(p.group)!), sectionsOf, p.questions));
    const bare = await runAll(await kbOf(bareStore), sectionsOf, bareQuestions);
    return { cross, bare };
  };

  // ---- 1. ranking
  const pass1 = await searchAll();
  const crossRuns = [...pass1.cross.values()].flat();
  console.log(`\n## Ranking (each group searched where only the other groups' questions are attached; "bare": no questions at all)`);
  console.log(`product models now:           with questions ${rankingFigures(crossRuns, DEFAULT_RANKING)} | bare ${rankingFigures(pass1.bare, DEFAULT_RANKING)}`);
  for (const g of GROUPS) {
    const fitted = fitRankingModel([...pass1.cross].filter(([h]) => h !== g).flatMap(([, r]) => r).concat(pass1.bare));
    console.log(`group ${g}, fitted on the others: ${rankingFigures(pass1.cross.get(g)!, fitted)}`);
  }
  const ranking = fitRankingModel([...crossRuns, ...pass1.bare]);
  console.log(`fitted on all:                with questions ${rankingFigures(crossRuns, ranking)} | bare ${rankingFigures(pass1.bare, ranking)}`);

  // ---- 2. decision models, on the ranking with the fitted models
  const pass2 = await searchAll(ranking);
  const crossProbabilities: Probabilities[] = [];
  for (const g of GROUPS) {
    const fitted = fitPair([...pass2.cross].filter(([h]) => h !== g).flatMap(([, r]) => r).filter((r) => r.topQuestioned));
    for (const run of pass2.cross.get(g)!) {
      if (!run.topQuestioned) continue;
      crossProbabilities.push({ run, single: predict(fitted.single, vec(run)), within: predict(fitted.within, vec(run)) });
    }
  }
  // The bare pair: two halves, each predicted by the models fitted on the other.
  const halves = [pass2.bare.filter((_, i) => i % 2 === 0), pass2.bare.filter((_, i) => i % 2 === 1)];
  const bareProbabilities: Probabilities[] = halves.flatMap((half, h) => {
    const fitted = fitPair(halves[1 - h]!);
    return half.map((run) => ({ run, single: predict(fitted.single, vec(run)), within: predict(fitted.within, vec(run)) }));
  });

  // ---- 3. bars, on the runs with questions (what the product's documents have)
  let answerAt = 0.99;
  for (let a = 0.99; a >= 0.3; a -= 0.01) if (outcomes(crossProbabilities, a, 0, DECISION.maxChoices).wrong <= WRONG_BUDGET) answerAt = a;
  let noneBelow = 0;
  for (let b = 0; b <= 0.9; b += 0.01) if (outcomes(crossProbabilities, answerAt, b, DECISION.maxChoices).none <= NONE_BUDGET) noneBelow = b;
  answerAt = round(answerAt);
  noneBelow = round(noneBelow);
  const bars: [number, number][] = [[answerAt, noneBelow], [DECISION.answerAt, DECISION.noneBelow], [0.7, noneBelow], [0.9, noneBelow], [answerAt, noneBelow + 0.1]];
  modeTable("## Decision, with questions attached (cross-fit: probabilities from models fitted on the other groups)", crossProbabilities, bars);
  modeTable("## Decision, no questions attached (halves fitted on each other)", bareProbabilities, bars);
  console.log(`\nP(best right) bin   questions   right   (with questions attached)`);
  for (let lo = 0; lo < 1; lo += 0.2) {
    const inBin = crossProbabilities.filter((p) => p.run.labelled && !p.run.ruledNone && p.single >= lo && p.single < lo + 0.2);
    if (inBin.length) console.log(`${lo.toFixed(1)}–${(lo + 0.2).toFixed(1)}             ${String(inBin.length).padStart(9)}   ${pct(inBin.filter((p) => p.run.sectionRank === 0).length / inBin.length)}`);
  }

  const pair = (runs: Run[]): DecisionPair => {
    const f = fitPair(runs);
    return { single: toModel(f.single), within: toModel(f.within) };
  };
  const model: DecisionModel = {
    ...DECISION,
    withQuestions: pair([...pass2.cross.values()].flat().filter((r) => r.topQuestioned)),
    bare: pair(pass2.bare),
    answerAt,
    noneBelow,
  };
  console.log(`\n## For core/search/calibration.ts\nexport const RANKING: RankingModel = ${JSON.stringify(ranking)};`);
  console.log(`export const DECISION: DecisionModel = ${JSON.stringify(model)};`);

  for (const s of [full, bareStore, ...stores.values()]) {
    await s.kb.close();
    await s.store.close();
    fs.rmSync(s.dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
