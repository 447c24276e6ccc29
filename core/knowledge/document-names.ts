/**
 * How people name a party document in a sentence, and where a text names one: "Quy định 294",
 * "QĐ 294", "Quy định số 294-QĐ/TW", "294-QĐ/TW", "Hướng dẫn 6" (for 06-HD/TW), "Điều lệ Đảng",
 * "dieu le", or the document's whole title. Accents and case are ignored. Used to read exact
 * references ("mục 3.5 Quy định 294") and which document a declaration `THAY THẾ: …` means.
 *
 *   const mentions = findMentions("khoản 2 Điều 8 Điều lệ Đảng", docs);
 *   // [{ start: 15, end: 27, document: <the Charter> }]  (offsets into the text as given)
 */
import { fold } from "../text/vietnamese.js";

/** What naming needs to know of a document (stored or only declared). */
export interface NameableDocument {
  title: string;
  /** Số hiệu, "294-QĐ/TW"; null or absent when it has none. */
  number?: string | null;
  /** "Quy định", "Hướng dẫn"... */
  docType?: string | null;
}

export interface Mention<D> {
  /** Offsets into the text searched (UTF-16 units). */
  start: number;
  end: number;
  document: D;
}

/** A số hiệu read: "294-QĐ/TW" → { n: 294, code: "qd" }, "06-HD/TW" → { n: 6, code: "hd" }. */
export interface DocumentNumber {
  n: number;
  /** The kind of document, folded letters before the slash: "qd", "hd", "nq". */
  code: string;
}

/** The first số hiệu written in `text` ("Quy định số 24-QĐ/TW ngày 30/7/2021" → 24, "qd"); dates are not read as one. */
export function parseDocumentNumber(text: string): DocumentNumber | undefined {
  const m = /(?<![\d/])0*(\d{1,4})\s*[-–]\s*([a-z]{1,6})(?=\s*\/|\b)/.exec(fold(text));
  return m ? { n: Number(m[1]), code: m[2]! } : undefined;
}

/** Document types as written out, folded, by the code of their số hiệu ("QĐ" is a Quy định or a Quyết định). */
const TYPE_WORDS: Record<string, string[]> = {
  qd: ["quy dinh", "quyet dinh"],
  hd: ["huong dan"],
  nq: ["nghi quyet"],
  ct: ["chi thi"],
  kl: ["ket luan"],
  tt: ["thong tri"],
  tb: ["thong bao"],
  qc: ["quy che"],
  kh: ["ke hoach"],
  bc: ["bao cao"],
  cv: ["cong van"],
};

/** The Party Charter has no number: members name it "Điều lệ Đảng" or just "Điều lệ". */
export const CHARTER_NAME = "Điều lệ Đảng";

/** Whether the document is the Party Charter (its title starts with "Điều lệ Đảng"). */
export function isCharter(doc: NameableDocument): boolean {
  return fold(doc.title).startsWith("dieu le dang");
}

/**
 * The short label members cite a document by: "Quy định 294-QĐ/TW", "Điều lệ Đảng", else its title
 * (as ingest labels heading paths).
 */
export function documentLabel(doc: NameableDocument): string {
  if (doc.number) return doc.docType ? `${doc.docType} ${doc.number}` : doc.number;
  return isCharter(doc) ? CHARTER_NAME : doc.title;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A folded phrase matching with any white space between its words. */
const phrase = (words: string) => words.trim().split(/\s+/).map(escape).join("\\s+");

/** One regular expression (over folded text) for every way of naming `doc`; undefined when it cannot be named. */
export function namePattern(doc: NameableDocument): RegExp | undefined {
  const alternatives: string[] = [];
  const number = doc.number ? parseDocumentNumber(doc.number) : undefined;
  if (number) {
    const types = new Set([...(TYPE_WORDS[number.code] ?? []), ...(doc.docType ? [fold(doc.docType)] : [])]);
    const n = `0*${number.n}`;
    const code = escape(number.code);
    const typed = [...types].map(phrase).join("|");
    const tail = `(?:\\s*[-–]\\s*${code})?(?:\\s*\\/\\s*[a-z]+)*`;
    if (typed) alternatives.push(`(?:${typed})\\s+(?:so\\s+)?${n}${tail}`);
    alternatives.push(`${code}\\s*${n}${tail}`, `${n}\\s*[-–]\\s*${code}(?:\\s*\\/\\s*[a-z]+)*`);
  }
  if (isCharter(doc)) alternatives.push("dieu\\s+le(?:\\s+dang(?:\\s+cong\\s+san\\s+viet\\s+nam)?)?(?!\\s+(?:doan|hoi|cong\\s+doan))");
  const title = fold(doc.title).replace(/[^a-z0-9]+/g, " ").trim();
  // A title of a word or two ("Sổ tay") names nothing in particular.
  if (title.split(" ").length >= 3) alternatives.push(title.split(" ").map(escape).join("[^a-z0-9]+"));
  if (!alternatives.length) return undefined;
  // Not inside a longer word or number: "Quy định 24" is not "Quy định 245" nor "Quy định 24.5".
  return new RegExp(`(?<![a-z0-9])(?:${alternatives.join("|")})(?![a-z0-9]|\\.\\d)`, "g");
}

/** Each document's pattern, made once per document object (the library keeps its documents between questions). */
const patterns = new WeakMap<NameableDocument, RegExp | null>();
function patternOf(doc: NameableDocument): RegExp | undefined {
  let p = patterns.get(doc);
  if (p === undefined) patterns.set(doc, (p = namePattern(doc) ?? null));
  return p ?? undefined;
}

/**
 * `text` folded with every UTF-16 unit kept in place (so offsets found in it are offsets in
 * `text`): a character whose folding is not one unit (a stray combining mark) becomes a space.
 */
export function foldInPlace(text: string): string {
  let out = "";
  for (const unit of text) {
    const f = fold(unit);
    out += f.length === unit.length ? f : " ".repeat(unit.length);
  }
  return out;
}

/**
 * Where `text` names one of `documents`, in text order. A mention inside a longer one is dropped
 * ("Điều lệ Đảng" within "Quy định thi hành Điều lệ Đảng"); one span naming several documents
 * (two copies, or "QĐ 24" for a Quy định and a Quyết định) gives one mention per document.
 */
export function findMentions<D extends NameableDocument>(text: string, documents: readonly D[]): Mention<D>[] {
  const folded = foldInPlace(text);
  const all: Mention<D>[] = [];
  for (const document of documents) {
    const pattern = patternOf(document);
    if (!pattern) continue;
    for (const m of folded.matchAll(pattern)) all.push({ start: m.index!, end: m.index! + m[0].length, document });
  }
  const contained = (a: Mention<D>) => all.some((b) => b !== a && b.start <= a.start && b.end >= a.end && b.end - b.start > a.end - a.start);
  return all.filter((m) => !contained(m)).sort((a, b) => a.start - b.start || a.end - b.end);
}
