/**
 * Where a section sits in its document, as a canonical path of tokens: one token per unit
 * of the document's own numbering, from the top down, joined by "/":
 *
 *   Điều lệ Đảng, Điều 5, khoản 1          → "d5/n1"
 *   Quy định 294, mục 6.3.1, điểm b         → "n6/n6.3/n6.3.1/pb"
 *   Hà Nội, Phần thứ hai, A.I, mục 4.4.3    → "ph2/la/r1/n4/n4.4/n4.4.3"
 *
 * Ingest writes these paths (one per unit); question files, `teach` and exact references
 * ("Điều 5 Điều lệ") name sections the way people do, and `parseSectionRef` +
 * `findSections` turn that into the units meant.
 *
 *   const ref = parseSectionRef("Phần thứ hai, A.I, 4.4.3");   // [["ph2"], ["la"], ["r1"], ["n4.4.3"]]
 *   findSections(ref, sections.map((s) => s.path));             // the one path that fits
 */
import { fold } from "../text/vietnamese.js";

/** The token of a part ("ph2"), chapter ("ch1"), section ("m1"), letter ("la"), Roman ("r2"), article ("d5"), number ("n4.5.1"), point ("pb"; "pdd" for đ), item ("q3"), markdown heading ("h…"), the opening part ("mo-dau"). */
export type SectionToken = string;

/** The opening part of a document, before its first numbered unit. */
export const INTRO_TOKEN = "mo-dau";

const ORDINAL_WORDS: Record<string, number> = {
  nhat: 1, mot: 1, hai: 2, ba: 3, tu: 4, bon: 4, nam: 5, sau: 6, bay: 7, tam: 8, chin: 9, muoi: 10,
};
const ROMAN: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100 };

/** Value of a Roman numeral ("xii" → 12); NaN when it is not one. */
export function romanValue(s: string): number {
  const r = s.toLowerCase();
  if (!/^[ivxlc]+$/.test(r)) return NaN;
  let total = 0;
  for (let i = 0; i < r.length; i++) {
    const v = ROMAN[r[i]!]!;
    const next = ROMAN[r[i + 1] ?? ""] ?? 0;
    total += v < next ? -v : v;
  }
  return total;
}

/** "thứ hai" / "II" / "2" → 2 (the number of a Phần or Chương). */
export function ordinalValue(text: string): number {
  const f = fold(text).replace(/^thu\s+/, "").trim();
  if (/^\d+$/.test(f)) return Number(f);
  if (f in ORDINAL_WORDS) return ORDINAL_WORDS[f]!;
  return romanValue(f);
}

/** "4.5.1" style number path → token. */
export const numberToken = (seq: number[]): SectionToken => `n${seq.join(".")}`;

/** A letter as tokens write it: lower case, folded, "dd" for đ ("Đ" → "dd", "b" → "b"). */
export const letterKey = (letter: string): string => (/^[đĐ]$/u.test(letter) ? "dd" : fold(letter));

// ---------------------------------------------------------------- references as people write them

/** Each element: the tokens one written piece of the reference may stand for (a "C" is a letter or a Roman 100). */
export type SectionRef = SectionToken[][];

/**
 * Reads a section reference as people write it: "Điều 5, khoản 1", "mục 6.3.1 điểm b",
 * "Phần thứ hai, A.I, 4.4.3", "II, 1.1", "1.2.1 (3)", "Mở đầu". Accents and case are
 * ignored; the words mục, điểm, tiểu mục are optional. Undefined when a piece is unreadable.
 */
export function parseSectionRef(text: string): SectionRef | undefined {
  // A standalone "đ" (point đ, after d) must not fold into "d": it is written "dd" in tokens.
  let s = fold(text.replace(/(^|[\s,.(])[đĐ](?=[)\s,.]|$)/gu, "$1dd")).replace(/[,;]/g, " ").replace(/\s+/g, " ").trim();
  if (!s) return undefined;
  if (/^(phan )?mo dau$/.test(s)) return [[INTRO_TOKEN]];
  const out: SectionRef = [];
  const take = (re: RegExp): RegExpExecArray | null => {
    const m = re.exec(s);
    if (m) s = s.slice(m[0].length).trim();
    return m;
  };
  while (s) {
    let m: RegExpExecArray | null;
    if (take(/^(tieu muc|muc|diem|tiet|y)\b\s*/)) continue;
    if ((m = take(/^phan\s+(thu\s+\S+|[ivxlc]+|\d+)\b\.?/))) {
      out.push([`ph${ordinalValue(m[1]!)}`]);
    } else if ((m = take(/^chuong\s+([ivxlc]+|\d+)\b\.?/))) {
      out.push([`ch${ordinalValue(m[1]!)}`]);
    } else if ((m = take(/^dieu\s+(\d+)\b\.?/))) {
      out.push([`d${m[1]}`]);
    } else if ((m = take(/^khoan\s+(\d+)\b\.?/))) {
      out.push([`n${m[1]}`]);
    } else if ((m = take(/^(\d{1,3}(?:\.\d{1,3})*)\.?(?=\s|\(|$)/))) {
      out.push([numberToken(m[1]!.split(".").map(Number))]);
    } else if ((m = take(/^\((\d{1,2})\)/))) {
      out.push([`q${m[1]}`]);
    } else if ((m = take(/^(\d{1,2})\)/))) {
      out.push([`q${m[1]}`]);
    } else if ((m = take(/^(dd|[a-z])\)/))) {
      out.push([`p${m[1]}`]);
    } else if ((m = take(/^([a-z]+(?:\.[a-z]+)*)\.?(?=\s|$)/i))) {
      // "A.I" or "A" or "I" or "b": upper or lower case alike once folded.
      const original = m[1]!;
      for (const piece of original.split(".")) {
        const alts = pieceTokens(piece);
        if (!alts.length) return undefined;
        out.push(alts);
      }
    } else {
      return undefined;
    }
  }
  return out.length ? out : undefined;
}

/** What one bare letter piece may be: a lower-case point ("b"), a capital letter section ("A"), a Roman section ("II"). */
function pieceTokens(piece: string): SectionToken[] {
  const alts: SectionToken[] = [];
  const roman = romanValue(piece);
  if (!Number.isNaN(roman)) alts.push(`r${roman}`);
  if (piece.length === 1 || piece === "dd") alts.push(`l${piece}`, `p${piece}`);
  return alts;
}

/**
 * The paths that a reference names: its pieces appear in order in the path (ancestors may be
 * left out), and its last piece is the path's last unit. Several paths mean the reference
 * is ambiguous in that document.
 */
export function findSections(ref: SectionRef, paths: string[]): string[] {
  return paths.filter((path) => matches(ref, path.split("/")));
}

function matches(ref: SectionRef, tokens: string[]): boolean {
  if (!ref.at(-1)!.includes(tokens.at(-1)!)) return false;
  let i = 0;
  for (const piece of ref.slice(0, -1)) {
    while (i < tokens.length - 1 && !piece.includes(tokens[i]!)) i++;
    if (i >= tokens.length - 1) return false;
    i++;
  }
  return true;
}
