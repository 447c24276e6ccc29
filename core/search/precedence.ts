/**
 * Which document to quote when several state the rule (issue: "the Charter and which document
 * to quote"). The party's documents rank: Điều lệ Đảng, then Quy định, then Hướng dẫn of the
 * Central Committee, then local guidance, then a handbook.
 *   - Same rule: the best match is in a lower document, and a passage of the Charter nearly as
 *     good a match states the same rule: it is the article the lower passage says it implements
 *     (Quy định 294's units name it: "4. Điều 5 › 4.2. (Khoản 2)"), or it holds most of the quoted
 *     sentence's pairs of content words. The Charter is quoted first, the other shown under "Xem thêm".
 *   - Amended rule: a newer document changed the Charter's rule (data/amendments.txt, e.g.
 *     Quy định 294, mục 23.1 pilots a chi bộ congress once in 5 years where the Charter says
 *     twice): the newer rule is quoted, and the Charter's shown beside it.
 *
 *   const order = preferredOrder(hits, amendments);   // hits reordered, and why
 */
import { collapseSpace, fold } from "../text/vietnamese.js";
import { bestSentence } from "./answer.js";
import { foldedSyllables, queryTerms } from "./terms.js";
import type { PassageHit } from "./types.js";

/** 0 for the Charter … 4 for a handbook: lower is higher in the party's order of documents. */
export function documentLevel(p: Pick<PassageHit, "title" | "number" | "heading">): number {
  const label = fold(p.heading.split(" › ")[0] ?? p.title);
  if (label.startsWith("dieu le dang") || fold(p.title).startsWith("dieu le dang")) return 0;
  const number = p.number ?? "";
  if (/\/TW$/u.test(number)) return label.startsWith("quy dinh") ? 1 : 2;
  if (/so tay/.test(label)) return 4;
  return 3;
}

/** Charter articles (and clauses) a passage's heading path says it implements: "Điều 5 › (Khoản 2)", "(Khoản 2, Điều 10)", "Điều 13 (Khoản 1)". */
export function charterReferences(heading: string): { article: number; clause?: number }[] {
  const out: { article: number; clause?: number }[] = [];
  let current: number | undefined;
  for (const segment of heading.split(" › ").slice(1)) {
    // References to another document's article ("Điều 5 Quy định số 02-QĐ/TU") are not the Charter's.
    if (/Quy định số|Quy định \d|Hướng dẫn số/u.test(segment)) continue;
    const pairs = [...segment.matchAll(/Khoản\s+(\d+)(?:\s*,\s*\d+)*\s*,\s*Điều\s+(\d+)/gu)];
    for (const m of pairs) out.push({ article: Number(m[2]), clause: Number(m[1]) });
    const articles = [...segment.matchAll(/Điều\s+(\d+)(?:\s*\(Khoản\s+(\d+)\))?/gu)].filter((m) => !pairs.some((p) => p[0].includes(m[0])));
    for (const m of articles) {
      current = Number(m[1]);
      out.push({ article: current, ...(m[2] ? { clause: Number(m[2]) } : {}) });
    }
    const clauseOnly = /^[\d.]+\s*\(Khoản\s+(\d+)\)/u.exec(segment);
    if (clauseOnly && current !== undefined && !pairs.length) out.push({ article: current, clause: Number(clauseOnly[1]) });
  }
  return out;
}

/** Whether a Charter passage is where a reference points ("Điều 5, khoản 2" holds Điều 5 / khoản 2; "khoản 1–3" holds 2). */
function locatedAt(charter: PassageHit, ref: { article: number; clause?: number }): boolean {
  const m = /^Điều (\d+)(?:, khoản (\d+)(?:–(\d+))?)?/u.exec(charter.locator ?? "");
  if (!m || Number(m[1]) !== ref.article) return false;
  if (ref.clause === undefined || m[2] === undefined) return true;
  const lo = Number(m[2]);
  const hi = m[3] ? Number(m[3]) : lo;
  return ref.clause >= lo && ref.clause <= hi;
}

/** A newer document's section that replaces an older rule, each as (document, section reference). */
export interface Amendment {
  newer: { document: string; section: string };
  older: { document: string; section: string };
}

/** An amendment resolved to the passages holding each side (see core/knowledge: resolveAmendments). */
export interface ResolvedAmendment {
  newer: Set<number>;
  older: Set<number>;
  /** The sections' own text: a passage may hold more than the amended clause, and only a question about that clause is meant. */
  newerText: string[];
  olderText: string[];
}

/**
 * data/amendments.txt: `<newer document> | <its section> | <older document> | <its section>`,
 * e.g. `294-QĐ/TW | 23.1 | Điều lệ Đảng | Điều 24, khoản 3`, sections as in data/questions.
 * Unreadable lines are returned as problems.
 */
export function parseAmendments(text: string): { amendments: Amendment[]; problems: string[] } {
  const amendments: Amendment[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, "").trim();
    if (!line) return;
    const parts = line.split("|").map((p) => p.trim());
    if (parts.length !== 4 || parts.some((p) => !p)) problems.push(`line ${i + 1}: expected "<newer document> | <section> | <older document> | <section>"`);
    else amendments.push({ newer: { document: parts[0]!, section: parts[1]! }, older: { document: parts[2]!, section: parts[3]! } });
  });
  return { amendments, problems };
}

export interface Preferred {
  hits: PassageHit[];
  /** "same-rule": a higher document moved first; "amended": a newer rule moved first; undefined: unchanged. */
  reason?: "same-rule" | "amended";
}

/** A Charter passage at least this close to the best match states the same rule well enough to quote first. */
const SAME_RULE_RATIO = 0.85;
/** Passages looked at for a higher document or an amendment. */
const LOOK_AT = 6;
/** A higher document restates the quoted sentence when it holds this share of its pairs of content words (at least MIN_PAIRS of them). */
const RESTATED_SHARE = 0.6;
const MIN_PAIRS = 3;

/** The answer's passages in the order to quote them (see the module comment); `hits[0]` is the one the search chose. */
export function preferredOrder(question: string, hits: PassageHit[], amendments: ResolvedAmendment[]): Preferred {
  const [top] = hits;
  if (!top) return { hits };
  const near = hits.slice(1, LOOK_AT);
  const rest = (...first: PassageHit[]) => [...first, ...hits.filter((h) => !first.includes(h))];

  // The question is about the amended clause when the sentence that answers it lies in that clause.
  const about = (texts: string[]) => {
    const sentence = collapseSpace(bestSentence(question, top.text));
    return !!sentence && texts.some((t) => collapseSpace(t).includes(sentence));
  };
  for (const a of amendments) {
    // The older rule was changed: quote the newer one, with the older beside it.
    if (a.older.has(top.passageId) && about(a.olderText)) {
      const newer = near.find((h) => a.newer.has(h.passageId));
      if (newer) return { hits: rest(newer, top), reason: "amended" };
    }
    if (a.newer.has(top.passageId) && about(a.newerText)) {
      const older = near.find((h) => a.older.has(h.passageId));
      if (older) return { hits: rest(top, older), reason: "amended" };
    }
  }
  if (documentLevel(top) === 0) return { hits };
  const refs = charterReferences(top.heading);
  const sentence = bestSentence(question, top.text);
  // Only the Charter: between the lower documents, which one members are sent to is less settled (the
  // dev set quotes Hướng dẫn 06 where Quy định 294 says the same), and moving them measured a loss.
  const higher = near.find((h) => documentLevel(h) === 0 && h.score >= SAME_RULE_RATIO * top.score && (refs.some((r) => locatedAt(h, r)) || restates(h.text, sentence)));
  return higher ? { hits: rest(higher, top), reason: "same-rule" } : { hits };
}

/** Whether `text` says what `sentence` says: it holds most of the sentence's pairs of content words. */
function restates(text: string, sentence: string): boolean {
  const pairs = queryTerms(sentence).contentPairs;
  if (pairs.length < MIN_PAIRS) return false;
  const padded = ` ${foldedSyllables(text).join(" ")} `;
  return pairs.filter((p) => padded.includes(` ${p} `)).length / pairs.length >= RESTATED_SHARE;
}
