/**
 * Naming a place in a document, for people: the heading path shown with a passage
 * ("Quy định 294-QĐ/TW › 4. Điều 5 › 4.5. Tính tuổi đảng… › 4.5.1"), the locator members
 * cite by ("Điều 5, khoản 1", "mục 6.3.1, điểm b", "Phần thứ hai, A.I, mục 4.4.3"), and
 * its subject from the document's own titles ("Tính tuổi đảng của đảng viên").
 *
 *   renderPath("Quy định 294-QĐ/TW", place);  locator(place);  subject(place);
 */
import { collapseSpace } from "../core/text/vietnamese.js";
import { sentenceCase } from "./metadata.js";
import { isUpperCaseLine, type Unit } from "./outline.js";

/** A place in the document: the units from the top down; `range` names merged siblings (first and last). */
export interface Place {
  units: Unit[];
  range?: [Unit, Unit];
}

/**
 * Labels and titles computed once per unit: every passage of a unit names it again, and a
 * clause's "title" can be a whole paragraph. A unit does not change once its outline is built.
 */
const unitLabels = new WeakMap<Unit, string>();
const ownTitles = new WeakMap<Unit, string>();

function once(memo: WeakMap<Unit, string>, unit: Unit, compute: (unit: Unit) => string): string {
  let value = memo.get(unit);
  if (value === undefined) memo.set(unit, (value = compute(unit)));
  return value;
}

/** Heading titles in the path are cut to this many characters. */
const MAX_TITLE_CHARS = 60;
export const PATH_SEPARATOR = " › ";

/**
 * The heading path of a place: the document label, then each unit by its marker
 * ("Phần thứ hai", "A.", "4. Điều 5"), with the title shown for the last unit and,
 * when that one is a bare number, for its parent too:
 * "Quy định 294-QĐ/TW › 4. Điều 5 › 4.5. Tính tuổi đảng của đảng viên › 4.5.1".
 */
export function renderPath(label: string, place: Place): string {
  const parts = [label];
  const n = place.units.length;
  const lastIsBare = place.range === undefined && n > 0 && place.units[n - 1]!.children.length === 0 && isNumbered(place.units[n - 1]!);
  place.units.forEach((unit, i) => {
    const full = i === n - 1 || (i === n - 2 && lastIsBare);
    parts.push(full ? unitLabel(unit) : compactLabel(unit));
  });
  if (place.range) parts.push(`${shortMarker(place.range[0])}–${shortMarker(place.range[1])}`);
  return parts.join(PATH_SEPARATOR);
}

function isNumbered(unit: Unit): boolean {
  return unit.kind === "num" || unit.kind === "point" || unit.kind === "paren" || unit.kind === "npoint";
}

/** Marker only, keeping an article reference that users cite by: "4. Điều 5", "2.1. (Khoản 1)". */
function compactLabel(unit: Unit): string {
  switch (unit.kind) {
    case "md":
    case "end":
    case "article":
      return unitLabel(unit);
    case "part":
    case "chapter":
    case "section":
      return markerCase(unit.marker);
    case "num": {
      const ref = /^((?:\(?(?:Điều|Khoản)\s+\d+[^:]*?)|(?:Điều\s+\d+(?:,\s*Điều\s+\d+)*))(?=:|\s*$)/u.exec(unit.title);
      if (ref && ref[1]!.length <= 48) return `${unit.marker} ${ref[1]}`;
      return shortMarker(unit);
    }
    default:
      return unit.marker;
  }
}

/** Cuts a title to `max` characters at a word boundary. */
function shortTitle(title: string, max = MAX_TITLE_CHARS): string {
  let t = collapseSpace(title).replace(/[\s.:;,]+$/u, "");
  if (isUpperCaseLine(t)) t = sentenceCase(t);
  if (t.length <= max) return t;
  const cut = t.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s.:;,]+$/u, "")}…`;
}

/** "PHẦN THỨ HAI" → "Phần thứ hai", "CHƯƠNG II" → "Chương II" (Roman numerals stay upper case). */
function markerCase(marker: string): string {
  return marker
    .split(" ")
    .map((w, i) => (/^[IVXLC]+$/.test(w) ? w : i === 0 ? w.charAt(0) + w.slice(1).toLocaleLowerCase("vi") : w.toLocaleLowerCase("vi")))
    .join(" ");
}

/** Marker without a trailing dot for numbered units ("4.5.1"), as written otherwise ("b)"). */
function shortMarker(unit: Unit): string {
  return unit.kind === "num" ? unit.marker.replace(/\.$/, "") : unit.marker;
}

/**
 * The unit's label in a heading path: a numbered unit that holds other units shows
 * its title ("4.5. Tính tuổi đảng của đảng viên"), a leaf shows only its number
 * ("4.5.1") because its first line is already in the passage.
 */
export function unitLabel(unit: Unit): string {
  return once(unitLabels, unit, labelOf);
}

function labelOf(unit: Unit): string {
  switch (unit.kind) {
    case "md":
      return shortTitle(unit.title, 80);
    case "end":
      return "Nơi nhận";
    case "part":
    case "chapter":
    case "section": {
      const marker = markerCase(unit.marker);
      return unit.title ? `${marker}: ${shortTitle(unit.title)}` : marker;
    }
    case "num":
    case "point":
    case "paren":
    case "npoint":
      if (unit.children.length === 0 || !unit.title) return shortMarker(unit);
      return `${unit.marker} ${shortTitle(unit.title)}`;
    default:
      return unit.title ? `${unit.marker} ${shortTitle(unit.title)}` : unit.marker;
  }
}


/**
 * Where a place is, as members cite it: the article and clause of the Charter ("Điều 5,
 * khoản 1–2"), the deepest number of a numbered document ("mục 4.5.1, điểm b"), with the
 * parts, letters and Roman sections above it ("Phần thứ hai, A.I, mục 4.4.3"; "mục II,
 * điểm 1.1"). The opening part of a document is "phần mở đầu".
 */
export function locator(place: Place): string {
  const units = place.units;
  if (units.length === 0 && !place.range) return "phần mở đầu";
  if (units.some((u) => u.kind === "md")) return units.map((u) => (u.kind === "md" ? shortTitle(u.title, 80) : u.marker)).join(PATH_SEPARATOR);
  const underArticle = (i: number) => units.slice(0, i).some((u) => u.kind === "article");
  const hasArticle = units.some((u) => u.kind === "article") || place.range?.[0].kind === "article";
  const parts: string[] = [];
  let mucUsed = false;
  units.forEach((unit, i) => {
    const next = units[i + 1];
    switch (unit.kind) {
      case "part":
        parts.push(markerCase(unit.marker));
        break;
      case "chapter":
      case "section":
        if (!hasArticle) parts.push(markerCase(unit.marker));
        break;
      case "letter":
        if (next?.kind === "roman") parts.push(`${unit.marker}${next.marker.replace(/\.$/, "")}`);
        else parts.push(unit.marker.replace(/\.$/, ""));
        break;
      case "roman":
        if (units[i - 1]?.kind !== "letter") {
          parts.push(`mục ${unit.marker.replace(/\.$/, "")}`);
          mucUsed = true;
        }
        break;
      case "article":
        parts.push(`Điều ${unit.seq[0]}`);
        break;
      case "num":
        // Only the deepest of consecutive numbers: 4 › 4.5 › 4.5.1 is "mục 4.5.1".
        if (next?.kind === "num" || (!next && place.range?.[0].kind === "num")) break;
        if (underArticle(i)) parts.push(`khoản ${unit.seq.join(".")}`);
        else parts.push(`${mucUsed ? "điểm" : "mục"} ${unit.seq.join(".")}`);
        break;
      case "point":
        parts.push(`điểm ${unit.marker.replace(/\)$/, "")}`);
        break;
      case "paren":
      case "npoint":
        parts.push(unit.marker);
        break;
      case "end":
        parts.push("Nơi nhận");
        break;
      default:
        break;
    }
  });
  // A chapter held whole is cited by its article when it has only one: "Điều 3", not "Chương II".
  const last = units.at(-1);
  if (!place.range && last && (last.kind === "chapter" || last.kind === "section") && last.children.length === 1 && last.children[0]!.kind === "article") {
    return [...parts.filter((p) => !p.startsWith(markerCase(last.marker))), `Điều ${last.children[0]!.seq[0]}`].join(", ");
  }
  if (place.range) {
    const [a, b] = place.range;
    const bare = (u: Unit) => (u.kind === "num" || u.kind === "article" ? u.seq.join(".") : u.kind === "point" ? u.marker.replace(/\)$/, "") : u.marker.replace(/\.$/, ""));
    const word = a.kind === "num" ? (hasArticle ? "khoản" : mucUsed ? "điểm" : "mục") : a.kind === "point" ? "điểm" : a.kind === "article" ? "Điều" : "";
    parts.push(`${word ? `${word} ` : ""}${bare(a)}–${bare(b)}`);
  }
  return parts.length ? parts.join(", ") : "phần mở đầu";
}

/**
 * What a place is about, from the document's own titles: the deepest unit with a real
 * title (a heading line, not the first sentence of a clause), without the "(Khoản 2):" or
 * "Điều 5:" reference that opens many titles. "" when no unit above it has one.
 */
export function subject(place: Place): string {
  for (let i = place.units.length - 1; i >= 0; i--) {
    const title = ownTitle(place.units[i]!);
    if (title) return title;
  }
  return "";
}

/** A unit's own title, readable; "" for a clause whose first line is running text. */
export function ownTitle(unit: Unit): string {
  return once(ownTitles, unit, titleOf);
}

function titleOf(unit: Unit): string {
  let title = collapseSpace(unit.title);
  if (!title) return "";
  // A clause whose first line is a sentence (long, or ending in "." or ";") has no title.
  if ((unit.kind === "num" || unit.kind === "point" || unit.kind === "paren" || unit.kind === "npoint") && unit.children.length === 0 && (title.length > 70 || /[.;]$/.test(title))) return "";
  // "(Khoản 2, Điều 10); (Khoản 5, Điều 13):", "Điều 41 (Khoản 2):", "Điều 5:" name what a unit implements, not what it is about.
  title = title.replace(/^(?:(?:\(\s*(?:Điều|Khoản)[^)]*\)|(?:Điều|Khoản)\s+\d+(?:\s*,\s*(?:Điều|Khoản)\s+\d+)*)\s*[;,]?\s*)+:?\s*/u, "");
  title = title.replace(/[\s.:;,]+$/u, "");
  if (!title || /^\(?(?:Điều|Khoản)\s+\d+[^\p{L}]*$/u.test(title)) return "";
  return shortTitle(title, 90);
}
