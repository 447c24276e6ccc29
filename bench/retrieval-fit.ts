/**
 * Dev tool: fit the rerank weights to labelled questions, and say whether the fit beats the
 * product's weights on questions it was not fitted on (5-fold cross-validation).
 *
 * Every candidate passage of every answerable question is traced with its rerank features
 * (RetrieverOptions.trace); a pairwise logistic model learns weights that put the answering
 * passage above the others. The fitted weights are printed scaled to `first: 0.3`, ready
 * for DEFAULT_RETRIEVER_OPTIONS.weights.
 *
 *   QDIR=<store with the corpus ingested, e.g. from quick-eval> npx tsx bench/retrieval-fit.ts \
 *     [--questions f.jsonl ...] [--features first,coverage,...,lead] [--l2 1]
 *
 * The product's weights of 2026-11 came from this fit over dev + five question sets of our own
 * (167 answerable questions). Cross-validated: hit@1 0.671, hit@3 0.892 without the `lead`
 * feature; 0.683, 0.916 with it. Two fresh sets not used for the fit then went from
 * hit@3 80.8% / 80.8% (old weights) to 92.3% / 80.8%.
 */
import path from "node:path";
import { PROJECT_ROOT } from "../core/config.js";
import { DEFAULT_RETRIEVER_OPTIONS } from "../core/search/retriever.js";
import { openDevKnowledgeBase, requireQdir } from "./dev-store.js";
import { hitRank, readDevSet } from "./retrieval-eval.js";

const arg = (name: string) => process.argv.flatMap((a, i) => (a === name && process.argv[i + 1] ? [process.argv[i + 1]!] : []));
const qdir = requireQdir();
const files = arg("--questions");
if (!files.length) files.push(path.join(PROJECT_ROOT, "..", "shared", "eval", "dev.jsonl"));
const product = DEFAULT_RETRIEVER_OPTIONS.weights as Record<string, number>;
const names = arg("--features")[0]?.split(",") ?? Object.keys(product);
const l2 = Number(arg("--l2")[0] ?? 1);

interface Question {
  /** Feature vectors of the candidates, and which of them answer. */
  x: number[][];
  y: boolean[];
  /** The product's score of each candidate. */
  productScore: number[];
}

let traced: { text: string; features: Record<string, number> }[] = [];
const { kb, close } = await openDevKnowledgeBase(qdir, { trace: (c) => (traced = c) });
const questions: Question[] = [];
for (const file of files)
  for (const item of readDevSet(file)) {
    if (!item.answer_quote) continue;
    traced = [];
    await kb.retrieve(item.question, 5);
    questions.push({
      x: traced.map((c) => names.map((n) => c.features[n] ?? 0)),
      y: traced.map((c) => hitRank(item.answer_quote!, [c]) === 1),
      productScore: traced.map((c) => Object.entries(product).reduce((s, [n, w]) => s + w * (c.features[n] ?? 0), 0)),
    });
  }
await close();

/** Pairwise logistic regression: the best-scored answering candidate against every other, L2-regularised. */
function fit(train: Question[]): number[] {
  const diffs: number[][] = [];
  for (const q of train) {
    const pos = q.y.map((y, i) => (y ? i : -1)).filter((i) => i >= 0);
    if (!pos.length || pos.length === q.y.length) continue;
    const best = pos.reduce((a, b) => (q.productScore[b]! > q.productScore[a]! ? b : a));
    q.y.forEach((y, i) => !y && diffs.push(q.x[best]!.map((v, k) => v - q.x[i]![k]!)));
  }
  const w = names.map(() => 0);
  for (let iter = 0; iter < 3000; iter++) {
    const grad = names.map((_, k) => (l2 * w[k]!) / diffs.length);
    for (const d of diffs) {
      const z = d.reduce((s, v, k) => s + v * w[k]!, 0);
      const g = 1 / (1 + Math.exp(z));
      d.forEach((v, k) => (grad[k]! -= (g * v) / diffs.length));
    }
    w.forEach((_, k) => (w[k]! -= grad[k]!));
  }
  return w;
}

/** hit@1, hit@3, MRR@5 of ranking each question's candidates by `score`. */
function measure(qs: Question[], score: (q: Question) => number[]): [number, number, number] {
  let h1 = 0, h3 = 0, mrr = 0;
  for (const q of qs) {
    const s = score(q);
    const order = s.map((_, i) => i).sort((a, b) => s[b]! - s[a]!);
    const rank = order.findIndex((i) => q.y[i]);
    if (rank < 0) continue;
    h1 += rank === 0 ? 1 : 0;
    h3 += rank < 3 ? 1 : 0;
    mrr += rank < 5 ? 1 / (rank + 1) : 0;
  }
  return [h1 / qs.length, h3 / qs.length, mrr / qs.length];
}

const linear = (w: number[]) => (q: Question) => q.x.map((v) => v.reduce((s, x, k) => s + x * w[k]!, 0));
// Interleaved folds, so every question set is spread over all folds.
const K = 5;
const cv = [0, 0, 0];
const base = [0, 0, 0];
for (let f = 0; f < K; f++) {
  const test = questions.filter((_, i) => i % K === f);
  const w = fit(questions.filter((_, i) => i % K !== f));
  measure(test, linear(w)).forEach((v, k) => (cv[k]! += (v * test.length) / questions.length));
  measure(test, (q) => q.productScore).forEach((v, k) => (base[k]! += (v * test.length) / questions.length));
}
const fmt = (m: number[]) => `hit@1 ${m[0]!.toFixed(3)} hit@3 ${m[1]!.toFixed(3)} MRR@5 ${m[2]!.toFixed(3)}`;
console.log(`${questions.length} answerable questions from ${files.map((f) => path.basename(f)).join(", ")}; features: ${names.join(", ")}`);
console.log(`cross-validated fit: ${fmt(cv)}`);
console.log(`product weights:     ${fmt(base)}`);
const w = fit(questions);
const scale = names.includes("first") ? 0.3 / w[names.indexOf("first")]! : 1;
console.log("fitted on all, scaled to first = 0.3:", JSON.stringify(Object.fromEntries(names.map((n, k) => [n, Math.round(w[k]! * scale * 1000) / 1000]))));
