/**
 * A small logistic regression for the fitting tool (bench/fit-search.ts): P(y | x), L2-
 * regularised, with optional sample weights. Features are standardised inside, weights
 * returned on the original scale.
 *
 *   const m = fitLogistic(rows.map((r) => r.x), rows.map((r) => r.y), { l2: 1 });
 *   predict(m, x);  // probability
 */

export interface Fitted {
  bias: number;
  weights: number[];
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function predict(m: Fitted, x: number[]): number {
  return sigmoid(m.bias + x.reduce((s, v, k) => s + v * m.weights[k]!, 0));
}

function standardiser(X: number[][]) {
  const d = X[0]?.length ?? 0;
  const mean = Array.from({ length: d }, (_, k) => X.reduce((s, x) => s + x[k]!, 0) / Math.max(1, X.length));
  const sd = Array.from({ length: d }, (_, k) => Math.sqrt(X.reduce((s, x) => s + (x[k]! - mean[k]!) ** 2, 0) / Math.max(1, X.length)) || 1);
  return { mean, sd, apply: (x: number[]) => x.map((v, k) => (v - mean[k]!) / sd[k]!) };
}

/** L2-regularised logistic regression by gradient descent on standardised features. */
export function fitLogistic(X: number[][], y: boolean[], opts: { l2?: number; iterations?: number; weight?: (i: number) => number } = {}): Fitted {
  const l2 = opts.l2 ?? 1;
  const iterations = opts.iterations ?? 4000;
  const st = standardiser(X);
  const Z = X.map(st.apply);
  const d = Z[0]?.length ?? 0;
  const w = new Array<number>(d).fill(0);
  let b = 0;
  const n = Z.length;
  const sw = Z.map((_, i) => opts.weight?.(i) ?? 1);
  const total = sw.reduce((a, c) => a + c, 0) || 1;
  const rate = 0.5;
  for (let it = 0; it < iterations; it++) {
    const gw = w.map((v) => (l2 * v) / total);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const z = Z[i]!;
      const p = sigmoid(b + z.reduce((s, v, k) => s + v * w[k]!, 0));
      const e = (p - (y[i] ? 1 : 0)) * sw[i]!;
      gb += e / total;
      for (let k = 0; k < d; k++) gw[k]! += (e * z[k]!) / total;
    }
    b -= rate * gb;
    for (let k = 0; k < d; k++) w[k]! -= rate * gw[k]!;
  }
  // Back to the original scale: w·(x-μ)/σ + b = (w/σ)·x + (b - Σ wμ/σ).
  const weights = w.map((v, k) => v / st.sd[k]!);
  const bias = b - w.reduce((s, v, k) => s + (v * st.mean[k]!) / st.sd[k]!, 0);
  return { bias, weights };
}

/**
 * Pairwise logistic regression (a linear ranking): for each group, every right candidate
 * against the wrong ones; weights that score right candidates higher. No bias (it cancels).
 */
export function fitPairwise(groups: { x: number[][]; right: boolean[] }[], opts: { l2?: number; iterations?: number } = {}): number[] {
  const diffs: number[][] = [];
  for (const g of groups) {
    const pos = g.right.map((r, i) => (r ? i : -1)).filter((i) => i >= 0);
    if (!pos.length || pos.length === g.right.length) continue;
    for (const p of pos) g.right.forEach((r, i) => !r && diffs.push(g.x[p]!.map((v, k) => v - g.x[i]![k]!)));
  }
  const d = diffs[0]?.length ?? 0;
  const w = new Array<number>(d).fill(0);
  const l2 = opts.l2 ?? 1;
  const n = diffs.length || 1;
  for (let it = 0; it < (opts.iterations ?? 1500); it++) {
    const g = w.map((v) => (l2 * v) / n);
    for (const x of diffs) {
      const z = x.reduce((s, v, k) => s + v * w[k]!, 0);
      const e = -sigmoid(-z);
      for (let k = 0; k < d; k++) g[k]! += (e * x[k]!) / n;
    }
    for (let k = 0; k < d; k++) w[k]! -= g[k]!;
  }
  return w;
}
