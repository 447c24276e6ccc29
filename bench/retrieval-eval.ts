/**
 * Scoring for the retrieval benchmark: question sets, the hit rule (answer_quote, white
 * space collapsed, inside the first 1,200 characters of a returned passage), and the
 * figures of the three-way reply:
 *   one-tap success    mode "answer" with the right first passage, or "choices" with the right
 *                      section among those offered
 *   confidently wrong  mode "answer" with a wrong first passage
 *   coverage           answerable questions in mode "answer"
 *   unanswerable       questions no document answers, in mode "answer" and in mode "none"
 */
import fs from "node:fs";
import { collapseSpace } from "../core/text/vietnamese.js";
import type { AnswerMode } from "../core/search/types.js";

export interface DevItem {
  id: string;
  question: string;
  doc: string | null;
  answer_quote: string | null;
}

/** Reads a JSON-lines question set. */
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
  /** Rank of the first passage holding the answer (0: none in the first five). */
  rank: number;
  mode: AnswerMode;
  /** In "choices" mode, whether a section offered holds the answer. */
  offeredRight: boolean;
}

export interface Figures {
  answerable: number;
  unanswerable: number;
  oneTap: number;
  wrong: number;
  coverage: number;
  unanswerableAnswered: number;
  unanswerableNone: number;
  hit1: number;
  hit3: number;
}

export function summarise(outcomes: Outcome[]): Figures {
  const ans = outcomes.filter((o) => o.item.answer_quote);
  const un = outcomes.filter((o) => !o.item.answer_quote);
  const share = (xs: Outcome[], f: (o: Outcome) => boolean) => (xs.length ? xs.filter(f).length / xs.length : 0);
  return {
    answerable: ans.length,
    unanswerable: un.length,
    oneTap: share(ans, (o) => (o.mode === "answer" && o.rank === 1) || (o.mode === "choices" && o.offeredRight)),
    wrong: share(ans, (o) => o.mode === "answer" && o.rank !== 1),
    coverage: share(ans, (o) => o.mode === "answer"),
    unanswerableAnswered: share(un, (o) => o.mode === "answer"),
    unanswerableNone: share(un, (o) => o.mode === "none"),
    hit1: share(ans, (o) => o.rank === 1),
    hit3: share(ans, (o) => o.rank >= 1 && o.rank <= 3),
  };
}

/** Sorted-sample percentile (p in 0..100). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

export const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(7);

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
