/**
 * Scoring helpers for the retrieval benchmark: the dev set, the hit rule
 * (answer_quote, white space collapsed, inside the first 1,200 characters of a returned
 * passage) and the summary figures.
 */
import fs from "node:fs";
import { collapseSpace } from "../core/text/vietnamese.js";

export interface DevItem {
  id: string;
  question: string;
  doc: string | null;
  answer_quote: string | null;
}

/** Reads a JSON-lines eval file. */
export function readDevSet(file: string): DevItem[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as DevItem);
}

/** 1-based rank of the first passage holding the quote, or 0. */
export function hitRank(quote: string, passages: { text: string }[]): number {
  const q = collapseSpace(quote.normalize("NFC"));
  const i = passages.findIndex((p) => collapseSpace(p.text.normalize("NFC").slice(0, 1200)).includes(q));
  return i + 1;
}

export interface Outcome {
  item: DevItem;
  rank: number;
  answered: boolean;
  coverage: number;
}

export interface Figures {
  answerable: number;
  unanswerable: number;
  hit1: number;
  hit3: number;
  hit5: number;
  mrr5: number;
  /** Share of unanswerable questions abstained on. */
  abstained: number;
  /** Share of answerable questions wrongly abstained on. */
  falseAbstentions: number;
}

export function summarise(outcomes: Outcome[]): Figures {
  const ans = outcomes.filter((o) => o.item.answer_quote);
  const un = outcomes.filter((o) => !o.item.answer_quote);
  const share = (xs: Outcome[], f: (o: Outcome) => boolean) => (xs.length ? xs.filter(f).length / xs.length : 0);
  return {
    answerable: ans.length,
    unanswerable: un.length,
    hit1: share(ans, (o) => o.rank === 1),
    hit3: share(ans, (o) => o.rank >= 1 && o.rank <= 3),
    hit5: share(ans, (o) => o.rank >= 1 && o.rank <= 5),
    mrr5: ans.length ? ans.reduce((s, o) => s + (o.rank >= 1 && o.rank <= 5 ? 1 / o.rank : 0), 0) / ans.length : 0,
    abstained: share(un, (o) => !o.answered),
    falseAbstentions: share(ans, (o) => !o.answered),
  };
}

/** Sorted-sample percentile (p in 0..100). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

export const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(7);
export const f3 = (x: number) => x.toFixed(3).padStart(6);

/**
 * Whether the sentence the answer puts in bold (bestSentence) holds the answer: it shares a
 * run of 20 characters with answer_quote (the whole quote if shorter).
 */
export function highlightHolds(sentence: string, quote: string): boolean {
  const s = collapseSpace(sentence.normalize("NFC"));
  const q = collapseSpace(quote.normalize("NFC"));
  const need = Math.min(20, q.length);
  for (let i = 0; i + need <= q.length; i += 5) if (s.includes(q.slice(i, i + need))) return true;
  return false;
}
