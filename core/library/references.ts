/**
 * Exact references in a member's message: a section marker written next to a document's name,
 * "Điều 5 Điều lệ", "khoản 2 Điều 8 Điều lệ Đảng", "mục 3.5 Quy định 294", "dieu 24 dieu le",
 * "Điều lệ Đảng, Điều 5, khoản 1", "Điều 5 và Điều 6 của Điều lệ". Only that counts as a reference:
 * a message naming a document without a marker ("Điều lệ quy định gì về đảng phí?"), or a marker
 * without a document ("Điều 5 nói gì?"), is a question for the search.
 *
 *   findReferences("khoản 2 Điều 8 Điều lệ Đảng", docs);
 *   // [{ documents: [charter], pieces: ["khoản 2", "Điều 8"], written: "khoản 2 Điều 8" }]
 *   topDown(["khoản 2", "Điều 8"]);   // ["Điều 8", "khoản 2"]: as section paths read (core/knowledge/section-path.ts)
 */
import { findMentions, foldInPlace, type Mention, type NameableDocument } from "../knowledge/document-names.js";
import { parseSectionRef } from "../knowledge/section-path.js";

export interface WrittenReference<D> {
  /** The document(s) named: several when one name fits several (e.g. "QĐ 24" for a Quy định and a Quyết định). */
  documents: D[];
  /** One piece per unit, as typed and in the order typed: ["khoản 2", "Điều 8"]. */
  pieces: string[];
  /** The section part as typed ("khoản 2 Điều 8"), for messages. */
  written: string;
}

const ORDINAL = "nhat|hai|ba|tu|bon|nam|sau|bay|tam|chin|muoi";
/** One unit of a reference, over folded text: a marker word and its number, or a dotted number ("3.5"); "mục III, 1" (a Roman section and its item) is one. */
const PIECE =
  `(?:(?:phan\\s+)?mo\\s+dau|dieu\\s+\\d{1,3}|khoan\\s+\\d{1,3}|(?:tieu\\s+)?muc\\s+(?:\\d{1,3}(?:\\.\\d{1,3})*|[ivxlc]+(?:\\s*[,.]\\s*\\d{1,3}(?:\\.\\d{1,3})*)?)|diem\\s+[a-z]` +
  `|chuong\\s+(?:[ivxlc]+|\\d{1,3})|phan\\s+(?:thu\\s+(?:${ORDINAL})|[ivxlc]+|\\d{1,2})|\\d{1,3}(?:\\.\\d{1,3})+)(?![a-z0-9])\\.?`;
const SEPARATOR = `(?:\\s*[,;]\\s*|\\s+)(?:(?:cua|thuoc|trong|tai)\\s+)?`;
const CHAIN = new RegExp(`(?<![a-z0-9.])${PIECE}(?:${SEPARATOR}${PIECE})*`, "g");
const ONE_PIECE = new RegExp(PIECE, "g");
/** What may stand between a reference and its document: "Điều 5 của Điều lệ", "Điều lệ Đảng, Điều 5", "mục 3.5 (Quy định 294)". */
const GAP = /^[\s,;:()\-–]*(?:(?:cua|thuoc|trong|tai|theo)[\s,;:()\-–]+)?$/;
/** Between two references of one document: "Điều 5 và Điều 6 Điều lệ". */
const AND = /^\s*(?:[,;]|va|hoac|,\s*va)\s*$/;
/** A cheap test before reading any document: a marker word with a number, or a dotted number. */
const MARKER = /(?<![a-z])(?:dieu|khoan|muc|diem|chuong|phan)\s+\S|\d\.\d|mo\s+dau/;

/** Whether `text` may hold a reference at all (no document is read before this says yes). */
export function mayHoldReference(text: string): boolean {
  return MARKER.test(foldInPlace(text));
}

interface Chain {
  start: number;
  end: number;
}

/** The references in `text`, in text order (each with the document(s) it names). */
export function findReferences<D extends NameableDocument>(text: string, documents: readonly D[]): WrittenReference<D>[] {
  const folded = foldInPlace(text);
  const mentions = findMentions(text, documents);
  if (mentions.length === 0) return [];
  const spans = groupBySpan(mentions);
  const chains: Chain[] = [...folded.matchAll(CHAIN)]
    .map((m) => ({ start: m.index!, end: m.index! + m[0].replace(/[\s.]+$/, "").length }))
    .filter((c) => !spans.some((s) => s.start < c.end && c.start < s.end));
  const paired = new Array<D[] | undefined>(chains.length);
  // A reference names the document written right after it ("Điều 5 Điều lệ") or, failing that, right before it ("Điều lệ, Điều 5").
  for (let i = chains.length - 1; i >= 0; i--) {
    const c = chains[i]!;
    const after = spans.find((s) => s.start >= c.end);
    if (after && GAP.test(folded.slice(c.end, after.start))) paired[i] = after.documents;
    else if (paired[i + 1] && AND.test(folded.slice(c.end, chains[i + 1]!.start))) paired[i] = paired[i + 1];
  }
  for (let i = 0; i < chains.length; i++) {
    if (paired[i]) continue;
    const c = chains[i]!;
    const before = spans.filter((s) => s.end <= c.start).at(-1);
    if (before && GAP.test(folded.slice(before.end, c.start))) paired[i] = before.documents;
    else if (i > 0 && paired[i - 1] && AND.test(folded.slice(chains[i - 1]!.end, c.start))) paired[i] = paired[i - 1];
  }
  const out: WrittenReference<D>[] = [];
  chains.forEach((c, i) => {
    const docs = paired[i];
    if (!docs) return;
    const slice = folded.slice(c.start, c.end);
    const pieces = [...slice.matchAll(ONE_PIECE)].map((m) => text.slice(c.start + m.index!, c.start + m.index! + m[0].length).replace(/\.$/, "").trim());
    out.push({ documents: docs, pieces, written: text.slice(c.start, c.end).trim() });
  });
  return out;
}

/** Mentions of one span together: one name may fit several documents. */
function groupBySpan<D>(mentions: Mention<D>[]): { start: number; end: number; documents: D[] }[] {
  const out: { start: number; end: number; documents: D[] }[] = [];
  for (const m of mentions) {
    const same = out.find((s) => s.start === m.start && s.end === m.end);
    if (same) same.documents.push(m.document);
    else out.push({ start: m.start, end: m.end, documents: [m.document] });
  }
  return out;
}

/** Rank of a unit in a document's numbering, from the top: phần, chương, mục (Roman, letter), điều, khoản/mục by depth, điểm. */
function rank(piece: string): number {
  // "điểm a" reads as a letter too (a lettered section "A."): the word says which.
  if (/^diem\b/.test(foldInPlace(piece).trim())) return 21;
  const token = parseSectionRef(piece)?.[0]?.[0] ?? "";
  if (token.startsWith("ph") || token === "mo-dau") return 0;
  if (token.startsWith("ch")) return 1;
  if (/^[rlm]/.test(token)) return 2;
  if (token.startsWith("d")) return 3;
  if (token.startsWith("n")) return 4 + token.split(".").length;
  if (token.startsWith("q")) return 20;
  if (token.startsWith("p")) return 21;
  return 30;
}

/** The pieces from the top unit down, as section paths read ("khoản 2, Điều 8" → "Điều 8, khoản 2"); typed order among equals. */
export function topDown(pieces: readonly string[]): string[] {
  return pieces
    .map((piece, i) => ({ piece, i, r: rank(piece) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((p) => p.piece);
}
