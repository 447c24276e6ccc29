/**
 * Recognises a document's own hierarchy (Phần, Chương, Mục, A./B., I./II., Điều,
 * numbered sections 1. / 1.1. / 1.1.1., points a) b), markdown headings) and builds
 * a tree of units from its lines. Numbering is checked against what came before, so
 * a "1." inside running text, a date or "1.000 đồng" does not open a new section.
 *
 *   const root = buildOutline(lines, { markdownHeadings: false });
 *   root.children[0].marker; // "1."
 */
import { fold } from "../core/text/vietnamese.js";
import { INTRO_TOKEN, letterKey, numberToken, ordinalValue, romanValue } from "../core/knowledge/section-path.js";

export type UnitKind =
  | "root"
  | "md"
  | "end"
  | "part"
  | "chapter"
  | "section"
  | "letter"
  | "roman"
  | "article"
  | "num"
  | "paren"
  | "point"
  | "npoint";

export interface Unit {
  kind: UnitKind;
  /** Nesting rank: a unit closes every open unit of equal or higher rank. */
  rank: number;
  /** The marker as written: "4.5.", "b)", "II.", "PHẦN THỨ HAI", "## Đảng phí". */
  marker: string;
  /** Numbering: decimal components for "num", ordinal for roman/letter/point, heading level for md. */
  seq: number[];
  /** Heading text after the marker (with wrapped upper-case continuation lines). */
  title: string;
  /** The unit's own lines: its heading line(s), then body lines before the first child. */
  lines: string[];
  children: Unit[];
}

export interface OutlineOptions {
  /** Recognise `#`..`######` headings (markdown and converted HTML). */
  markdownHeadings?: boolean;
}

interface Candidate {
  kind: UnitKind;
  marker: string;
  seq: number[];
  title: string;
}

/** Letters in Vietnamese order, with the Latin letters Vietnamese lacks, so skips of one are tolerated. */
const LETTERS = "abcdđefghijklmnopqrstuvwxyz";

const UPPER_START = /^[\p{Lu}\d("“"«]/u;

/** True when a line has letters and none of them is lower case. */
export function isUpperCaseLine(line: string): boolean {
  return /\p{L}/u.test(line) && !/\p{Ll}/u.test(line);
}

/** A wrapped line of an upper-case title: starts upper case, mostly capitals ("SOÁT, SÀNG LỌC (Điều 9 ... ngày"). */
function isMostlyUpperCase(line: string): boolean {
  const letters = line.match(/\p{L}/gu) ?? [];
  const upper = line.match(/\p{Lu}/gu) ?? [];
  return letters.length > 0 && /^[^\p{L}]*\p{Lu}{2}/u.test(line) && upper.length >= letters.length * 0.6;
}

/** What a line would open if it were a heading; undefined for ordinary text. */
export function classifyLine(line: string, options: OutlineOptions = {}): Candidate | undefined {
  let m: RegExpExecArray | null;
  if (options.markdownHeadings && (m = /^(#{1,6})\s+(.+?)\s*#*$/.exec(line))) {
    return { kind: "md", marker: m[1]!, seq: [m[1]!.length], title: m[2]! };
  }
  if (/^Nơi nhận\s*:?/u.test(line)) return { kind: "end", marker: "Nơi nhận", seq: [], title: "" };
  if (line.length <= 120 && (m = /^(PHẦN|Phần)\s+(THỨ\s+\p{L}+|thứ\s+\p{L}+|[IVXLC]+|\d+)(?:\s*[.:\-–]\s*|\s+|$)(.*)$/u.exec(line))) {
    if (!m[3] || UPPER_START.test(m[3])) return { kind: "part", marker: `${m[1]} ${m[2]}`, seq: [], title: m[3] ?? "" };
  }
  if (line.length <= 160 && (m = /^(CHƯƠNG|Chương)\s+([IVXLC]+|\d+)(?:\s*[.:\-–]\s*|\s+|$)(.*)$/u.exec(line))) {
    if (!m[3] || UPPER_START.test(m[3])) return { kind: "chapter", marker: `${m[1]} ${m[2]}`, seq: [], title: m[3] ?? "" };
  }
  if (line.length <= 160 && (m = /^(MỤC|Mục)\s+([IVXLC]+|\d+)(?:\s*[.:\-–]\s*|\s+|$)(.*)$/u.exec(line))) {
    if (!m[3] || UPPER_START.test(m[3])) return { kind: "section", marker: `${m[1]} ${m[2]}`, seq: [], title: m[3] ?? "" };
  }
  if ((m = /^Điều\s+(\d+)[a-z]?\s*[.:]\s+(\p{Lu}.*)$/u.exec(line))) {
    return { kind: "article", marker: `Điều ${m[1]}.`, seq: [Number(m[1])], title: m[2]! };
  }
  // The Party Charter's articles have no title: "Điều 5." alone on its line.
  if ((m = /^Điều\s+(\d+)[a-z]?\s*[.:]?$/u.exec(line))) {
    return { kind: "article", marker: `Điều ${m[1]}.`, seq: [Number(m[1])], title: "" };
  }
  if ((m = /^([IVXL]+)\s*[.:]\s*(\p{Lu}.*)$/u.exec(line))) {
    return { kind: "roman", marker: `${m[1]}.`, seq: [romanValue(m[1]!)], title: m[2]! };
  }
  if ((m = /^([A-ZĐ])\.\s+(\p{Lu}.*)$/u.exec(line))) {
    const index = LETTERS.indexOf(m[1]!.toLowerCase());
    return { kind: "letter", marker: `${m[1]}.`, seq: [index + 1], title: m[2]! };
  }
  // "1." "1.1." "1.1.1." (a digit right after the last dot is a number like 1.000, not a heading)
  if ((m = /^(\d{1,3}(?:\.\d{1,3})*)\.(?!\d)\s*(.*)$/u.exec(line))) {
    return { kind: "num", marker: `${m[1]}.`, seq: m[1]!.split(".").map(Number), title: m[2]! };
  }
  // "1.1 Căn cứ" (no final dot) only with two or more components and an upper-case title
  if ((m = /^(\d{1,3}(?:\.\d{1,3})+)\s+(\p{Lu}.*)$/u.exec(line))) {
    return { kind: "num", marker: m[1]!, seq: m[1]!.split(".").map(Number), title: m[2]! };
  }
  if ((m = /^\((\d{1,2})\)\s*(.*)$/u.exec(line))) {
    return { kind: "paren", marker: `(${m[1]})`, seq: [Number(m[1])], title: m[2]! };
  }
  if ((m = /^([a-zđ])\)\s*(.*)$/u.exec(line))) {
    return { kind: "point", marker: `${m[1]})`, seq: [LETTERS.indexOf(m[1]!) + 1], title: m[2]! };
  }
  if ((m = /^(\d{1,2})\)\s*(.*)$/u.exec(line))) {
    return { kind: "npoint", marker: `${m[1]})`, seq: [Number(m[1])], title: m[2]! };
  }
  return undefined;
}

const FIXED_RANK: Partial<Record<UnitKind, number>> = {
  end: 5,
  part: 10,
  chapter: 20,
  section: 30,
  article: 50,
};

/** Whether `next` may follow `prev` (the previous sibling of the same kind), or start a list when there is none. */
function followsInSequence(prev: number | undefined, next: number, maxStep = 2): boolean {
  if (prev === undefined) return next === 1 || next === 2;
  return next > prev && next - prev <= maxStep;
}

function newUnit(kind: UnitKind, rank: number, c?: Candidate, line?: string): Unit {
  return {
    kind,
    rank,
    marker: c?.marker ?? "",
    seq: c?.seq ?? [],
    title: c?.title ?? "",
    lines: line === undefined ? [] : [line],
    children: [],
  };
}

/** Builds the unit tree of a document from its (trimmed, non-empty) lines. */
export function buildOutline(lines: string[], options: OutlineOptions = {}): Unit {
  const root = newUnit("root", 0);
  const stack: Unit[] = [root];
  let titleOpen: Unit | undefined; // a heading whose upper-case title may wrap onto the next lines

  /** How many stack entries stay open when `c` arrives (its parent is the last of them). */
  const keepDepth = (c: Candidate): number => {
    if (c.kind === "letter" || c.kind === "roman") {
      // Letters (A.) and Roman numerals (I.) nest either way round between documents:
      // an open unit of the same kind makes this one its sibling, otherwise it nests
      // under the nearest unit that is not a numbered clause.
      const same = stack.findIndex((u) => u.kind === c.kind);
      if (same > 0) return same;
      let depth = stack.length;
      while (depth > 1 && stack[depth - 1]!.rank >= 50) depth--;
      return depth;
    }
    if (c.kind === "point" || c.kind === "paren" || c.kind === "npoint") {
      // "c)" after "b) … (1) … (2)": the open point list continues, whatever nested in between.
      // Otherwise a new list nests in whatever is open: "(1)" may sit inside "b)" or hold "a)".
      const same = stack.findIndex((u) => u.kind === c.kind);
      return same > 0 ? same : stack.length;
    }
    const rank = rankOf(c);
    let depth = stack.length;
    while (depth > 1 && stack[depth - 1]!.rank >= rank) depth--;
    return depth;
  };

  const rankOf = (c: Candidate, parent?: Unit): number => {
    if (c.kind === "md") return c.seq[0]!;
    if (c.kind === "num") return 60 + c.seq.length;
    if (c.kind === "letter" || c.kind === "roman") return Math.min(49, (parent?.rank ?? 0) + 1);
    if (c.kind === "point" || c.kind === "paren" || c.kind === "npoint") return Math.max(80, (parent?.rank ?? 0) + 1);
    return FIXED_RANK[c.kind]!;
  };

  // The last child of each kind and numbering depth, per parent: numbering is checked against
  // it, and scanning a parent's children instead made documents with thousands of sibling
  // units (Điều 1…5000, a long FAQ) quadratic.
  const lastOfKind = new Map<Unit, Map<string, Unit>>();
  const kindKey = (kind: UnitKind, depth: number) => `${kind}/${depth}`;
  const addChild = (parent: Unit, unit: Unit) => {
    parent.children.push(unit);
    let last = lastOfKind.get(parent);
    if (!last) lastOfKind.set(parent, (last = new Map()));
    last.set(kindKey(unit.kind, unit.seq.length), unit);
  };

  const accept = (c: Candidate, parent: Unit): boolean => {
    const prev = lastOfKind.get(parent)?.get(kindKey(c.kind, c.seq.length))?.seq.at(-1);
    switch (c.kind) {
      case "num": {
        if (c.seq.length > 1) {
          const prefix = c.seq.slice(0, -1);
          if (parent.kind !== "num" || parent.seq.join(".") !== prefix.join(".")) return false;
        }
        return followsInSequence(prev, c.seq.at(-1)!);
      }
      case "roman":
      case "letter":
      case "point":
      case "paren":
      case "npoint":
        return followsInSequence(prev, c.seq[0]!);
      case "article":
        return prev === undefined || c.seq[0]! > prev;
      default:
        return true;
    }
  };

  // A numbered line that was not a heading starts a list in running text ("1. Kê khai…");
  // its next items ("2. Nộp…") are list items too, even where they would fit the outline.
  let listAt: { kind: UnitKind; depth: number; value: number } | undefined;
  const continuesList = (c: Candidate) => listAt !== undefined && listAt.kind === c.kind && listAt.depth === c.seq.length && c.seq.at(-1) === listAt.value + 1;

  for (const line of lines) {
    const c = classifyLine(line, options);
    if (c) {
      const depth = keepDepth(c);
      const parent = stack[depth - 1]!;
      if (continuesList(c)) {
        listAt = { kind: c.kind, depth: c.seq.length, value: c.seq.at(-1)! };
      } else if (!accept(c, parent)) {
        if (c.seq.length > 0) listAt = { kind: c.kind, depth: c.seq.length, value: c.seq.at(-1)! };
      } else {
        listAt = undefined;
        // A markdown heading's text is its line; the #'s are markup, not document text.
        const unit = newUnit(c.kind, rankOf(c, parent), c, c.kind === "md" ? c.title : line);
        stack.length = depth;
        addChild(parent, unit);
        stack.push(unit);
        // An upper-case title may wrap onto the next lines; a bare "Chương I" has its title on the next line.
        titleOpen = ["part", "chapter", "section", "letter", "roman"].includes(c.kind) && (c.kind === "part" || !c.title || isUpperCaseLine(line)) ? unit : undefined;
        continue;
      }
    }
    const top = stack.at(-1)!;
    if (titleOpen === top && isMostlyUpperCase(line) && line.length <= 160 && top.children.length === 0) {
      top.lines.push(line);
      top.title = top.title ? `${top.title} ${line}` : line;
      continue;
    }
    titleOpen = undefined;
    top.lines.push(line);
  }
  return root;
}

/** The unit's whole text: its own lines, then its children's, one line each. */
export function unitText(unit: Unit): string {
  const parts = [...unit.lines];
  for (const child of unit.children) parts.push(unitText(child));
  return parts.filter((p) => p.length > 0).join("\n");
}

/**
 * unitText(unit).length without building the text (a large unit's text is only measured
 * to decide where to cut it). `memo` keeps each unit's length, so that measuring every
 * level of the tree stays linear.
 */
export function unitTextLength(unit: Unit, memo: Map<Unit, number>): number {
  let length = memo.get(unit);
  if (length !== undefined) return length;
  let parts = 0;
  length = 0;
  for (const line of unit.lines) {
    if (line.length === 0) continue;
    length += line.length;
    parts++;
  }
  for (const child of unit.children) {
    const childLength = unitTextLength(child, memo);
    if (childLength === 0) continue;
    length += childLength;
    parts++;
  }
  if (parts > 1) length += parts - 1;
  memo.set(unit, length);
  return length;
}

/**
 * The canonical path token of a unit (core/knowledge/section-path.ts): "ph2", "ch1", "la",
 * "r2", "d5", "n4.5.1", "pb", "q3", or "h<folded title>" for a markdown heading.
 */
export function unitToken(unit: Unit): string {
  switch (unit.kind) {
    case "part":
      return `ph${ordinalValue(unit.marker.replace(/^\S+\s+/u, ""))}`;
    case "chapter":
      return `ch${ordinalValue(unit.marker.replace(/^\S+\s+/u, ""))}`;
    case "section":
      return `m${ordinalValue(unit.marker.replace(/^\S+\s+/u, ""))}`;
    case "letter":
      return `l${letterKey(unit.marker.replace(/\.$/, ""))}`;
    case "roman":
      return `r${unit.seq[0]}`;
    case "article":
      return `d${unit.seq[0]}`;
    case "num":
      return numberToken(unit.seq);
    case "point":
      return `p${letterKey(unit.marker.replace(/\)$/, ""))}`;
    case "paren":
    case "npoint":
      return `q${unit.seq[0]}`;
    case "md":
      return `h${fold(unit.title).replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40)}`;
    case "end":
      return "noi-nhan";
    case "root":
      return INTRO_TOKEN;
  }
}

/**
 * Every unit's path ("d5/n1"), unique within the document: a second unit at the same path
 * (a numbering slip in the source) gets "~2" appended to its last token.
 */
export function unitPaths(root: Unit): Map<Unit, string> {
  const paths = new Map<Unit, string>([[root, INTRO_TOKEN]]);
  const used = new Set<string>([INTRO_TOKEN]);
  const walk = (unit: Unit, prefix: string) => {
    for (const child of unit.children) {
      let path = prefix ? `${prefix}/${unitToken(child)}` : unitToken(child);
      for (let n = 2; used.has(path); n++) path = `${prefix ? `${prefix}/` : ""}${unitToken(child)}~${n}`;
      used.add(path);
      paths.set(child, path);
      walk(child, path);
    }
  };
  walk(root, "");
  return paths;
}
