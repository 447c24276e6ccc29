/**
 * Cuts a document into passages that follow its own units: a passage is the smallest
 * numbered unit, small sibling units are merged up to the limit, and a unit too long
 * for one passage is split at its points and items, then at sentence ends (with one
 * short sentence of overlap). Passage text is only the document's text (unit heading
 * lines included); where it sits goes in `heading`, e.g.
 * "Quy định 294-QĐ/TW › 4. Điều 5: Về thời hạn… › 4.1".
 *
 *   const passages = chunkDocument(body, { label: "Quy định 294-QĐ/TW" });
 */
import type { ChunkedPassage } from "../core/knowledge/types.js";
import { collapseSpace, nfc } from "../core/text/vietnamese.js";
import { buildOutline, classifyLine, isUpperCaseLine, unitText, type Unit } from "./outline.js";
import { sentenceCase } from "./metadata.js";

/** Longest passage text, in characters. */
export const MAX_PASSAGE_CHARS = 1200;
/**
 * Small sibling units are merged up to this size; a unit with sub-units that is longer
 * is cut at its sub-units, so that passages (and their citations) stay close to the
 * document's smallest numbered units. A unit without sub-units may use the full limit.
 */
export const MERGE_TARGET_CHARS = 600;
/** A sentence repeated at the start of the next piece when a long paragraph is split. */
const MAX_OVERLAP_CHARS = 240;
/** Heading titles in the path are cut to this many characters. */
const MAX_TITLE_CHARS = 60;
export const PATH_SEPARATOR = " › ";

export interface ChunkOptions {
  /** Short document label that starts every heading path ("Quy định 294-QĐ/TW", else the title). */
  label: string;
  /** Recognise markdown `#` headings (markdown and HTML sources). */
  markdownHeadings?: boolean;
  maxChars?: number;
  /** Size up to which small sibling units are merged (default MERGE_TARGET_CHARS). */
  mergeChars?: number;
}

/**
 * Splits a document body into passages with heading paths. All text is NFC; lines are
 * trimmed and empty lines dropped, so the result does not depend on line endings or
 * Unicode normal form.
 */
export function chunkDocument(text: string, options: ChunkOptions): ChunkedPassage[] {
  const max = options.maxChars ?? MAX_PASSAGE_CHARS;
  const lines = cleanLines(options.markdownHeadings ? stripMarkdown(text) : text);
  const root = buildOutline(lines, { markdownHeadings: options.markdownHeadings });
  const merge = Math.min(max, options.mergeChars ?? MERGE_TARGET_CHARS);
  const passages = new Chunker(max, merge, options.label).unit(root, [], true);
  return passages.filter((p) => collapseSpace(p.text).length > 0);
}

/** Markdown inline markup removed (emphasis, code ticks, links, images, quotes); `#` headings kept for the outline. */
export function stripMarkdown(text: string): string {
  return text
    .split("\n")
    .map((line) =>
      line
        .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
        .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
        .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, "$2")
        .replace(/`([^`]+)`/g, "$1")
        .replace(/^\s*>\s?/, "")
        .replace(/^(\s*)[*•]\s+/, "$1- ")
        .replace(/^\s*\|?\s*:?-{3,}.*$/, ""),
    )
    .join("\n");
}

/** NFC, one trimmed line per paragraph, decorative rules (----, ____, ***) dropped. */
export function cleanLines(text: string): string[] {
  return nfc(text)
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((l) =>
      l
        .replace(/[\u00a0\u2000-\u200b\u202f\u3000\t]/g, " ")
        .replace(/[-_=*–—]{3,}/g, " ")
        .replace(/ {2,}/g, " ")
        .trim(),
    )
    .filter((l) => l.length > 0 && l !== "*");
}

interface Piece {
  text: string;
  /** Set when the piece is a whole child unit (for the heading path of a merged passage). */
  unit?: Unit;
}

/** A place in the document: the units from the top down; `range` names merged siblings. */
interface Place {
  units: Unit[];
  range?: string;
}

/** A parent's heading line with no body is carried into its first child's passage rather than standing alone. */
const MAX_LEAD_CHARS = 300;

class Chunker {
  constructor(
    private readonly max: number,
    private readonly merge: number,
    private readonly label: string,
  ) {}

  /** Passages for one unit. `lead` is an ancestor's heading text that goes before this unit's first passage. */
  unit(unit: Unit, units: Unit[], isRoot = false, lead?: string): ChunkedPassage[] {
    const whole = (lead ? `${lead}\n` : "") + unitText(unit);
    if (!isRoot && this.fitsWhole(unit, whole.length)) return [this.passage({ units }, whole)];

    const out: ChunkedPassage[] = [];
    const own = [lead, ...unit.lines].filter((l): l is string => !!l).join("\n");
    let run: Piece[] = [];
    let pendingLead: string | undefined;
    const flush = () => {
      if (run.length > 0) out.push(...this.pack(run, units));
      run = [];
    };
    if (own.length > 0) {
      if (isRoot || own.length > this.max) out.push(...this.splitText(own.split("\n"), { units }));
      else run.push({ text: own });
    }
    for (const child of unit.children) {
      const text = unitText(child);
      // Top-level units are never merged with each other: a passage stays inside one section.
      if (!this.fitsWhole(child, text.length) || isRoot) {
        // A heading with nothing else waiting goes in front of the child's first passage.
        if (run.length === 1 && !run[0]!.unit && run[0]!.text.length <= MAX_LEAD_CHARS) {
          pendingLead = run[0]!.text;
          run = [];
        }
        flush();
        out.push(...this.unit(child, [...units, child], false, pendingLead));
        pendingLead = undefined;
      } else {
        run.push({ text, unit: child });
      }
    }
    flush();
    return out;
  }

  /** A unit stays one passage when it is small, or has no sub-units and fits the limit. */
  private fitsWhole(unit: Unit, length: number): boolean {
    return length <= this.merge || (unit.children.length === 0 && length <= this.max);
  }

  private passage(place: Place, text: string): ChunkedPassage {
    return { heading: renderPath(this.label, place), text };
  }

  /** Merges consecutive pieces of one parent into passages of at most `max`, evenly sized. */
  private pack(pieces: Piece[], units: Unit[]): ChunkedPassage[] {
    // The parent's own heading lines never stand alone when a sub-unit follows.
    const first = pieces[0];
    const second = pieces[1];
    if (first && !first.unit && second?.unit && first.text.length + 1 + second.text.length <= this.max) {
      pieces = [{ text: `${first.text}\n${second.text}`, unit: second.unit }, ...pieces.slice(2)];
    }
    const groups = balancedGroups(pieces, (p) => p.text.length, this.merge);
    return groups.map((group) => {
      // Named after the sub-units it holds (the parent's heading line may lead it).
      const children = group.filter((p) => p.unit).map((p) => p.unit!);
      let place: Place;
      if (children.length === 1) place = { units: [...units, children[0]!] };
      else if (children.length > 1) place = { units, range: `${shortMarker(children[0]!)}–${shortMarker(children.at(-1)!)}` };
      else place = { units };
      return this.passage(place, group.map((p) => p.text).join("\n"));
    });
  }

  /**
   * Splits text that is too long for one passage: first at item boundaries (lines
   * starting a dash, plus or numbered item), then inside an item at sentence ends.
   * Plain paragraph breaks are not boundaries, so text read from a PDF (where line
   * breaks are guessed) splits exactly like the same text from a clean file.
   */
  private splitText(lines: string[], place: Place): ChunkedPassage[] {
    const blocks: string[] = [];
    for (const line of lines) {
      if (blocks.length === 0 || startsItem(line)) blocks.push(line);
      else blocks[blocks.length - 1] += `\n${line}`;
    }
    const pieces: string[] = [];
    for (const block of blocks) {
      if (block.length <= this.max) pieces.push(block);
      else pieces.push(...this.splitLongBlock(block));
    }
    const groups = balancedGroups(pieces, (p) => p.length, this.max);
    return groups.map((g) => this.passage(place, g.join("\n")));
  }

  /** A block longer than a passage: sentences packed evenly, the last short sentence repeated. */
  private splitLongBlock(block: string): string[] {
    const sentences = splitSentences(block).flatMap((s) => (s.length > this.max ? splitHard(s, this.max) : [s]));
    const groups = balancedGroups(sentences, (s) => s.length + 1, this.max);
    const out: string[] = [];
    let previous: string[] | undefined;
    for (const group of groups) {
      let parts = group;
      const carry = previous?.at(-1);
      if (carry && carry.length <= MAX_OVERLAP_CHARS && joinLength([carry, ...group]) <= this.max) parts = [carry, ...group];
      out.push(joinSentences(parts));
      previous = group;
    }
    return out;
  }
}

/**
 * The heading path of a place: the document label, then each unit by its marker
 * ("Phần thứ hai", "A.", "4. Điều 5"), with the title shown for the last unit and,
 * when that one is a bare number, for its parent too:
 * "Quy định 294-QĐ/TW › 4. Điều 5 › 4.5. Tính tuổi đảng của đảng viên › 4.5.1".
 */
function renderPath(label: string, place: Place): string {
  const parts = [label];
  const n = place.units.length;
  const lastIsBare = place.range === undefined && n > 0 && place.units[n - 1]!.children.length === 0 && isNumbered(place.units[n - 1]!);
  place.units.forEach((unit, i) => {
    const full = i === n - 1 || (i === n - 2 && lastIsBare);
    parts.push(full ? unitLabel(unit) : compactLabel(unit));
  });
  if (place.range) parts.push(place.range);
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

/** Lines that begin a new item inside a unit's body. */
function startsItem(line: string): boolean {
  return /^[-+•*–]\s/.test(line) || classifyLine(line) !== undefined;
}

/**
 * Sentence pieces of a block, each keeping its trailing white space (so that joining
 * them gives the block back). Boundaries are after . ! ? ; … followed by white space and
 * an upper-case letter, digit, bracket or bullet.
 */
export function splitSentences(block: string): string[] {
  const out: string[] = [];
  const re = /[.!?;…:](?=\s+[\p{Lu}\d(“"'\-+•])/gu;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(block))) {
    let end = m.index + 1;
    while (end < block.length && /\s/.test(block[end]!)) end++;
    out.push(block.slice(start, end));
    start = end;
  }
  if (start < block.length) out.push(block.slice(start));
  return out;
}

/** Splits an over-long sentence at "; " or ", " or spaces so each part fits. */
function splitHard(sentence: string, max: number): string[] {
  const out: string[] = [];
  let rest = sentence;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = Math.max(window.lastIndexOf("; "), window.lastIndexOf(", "));
    if (cut < max / 2) cut = window.lastIndexOf(" ");
    if (cut <= 0) cut = max - 1;
    out.push(rest.slice(0, cut + 1));
    rest = rest.slice(cut + 1);
  }
  if (rest.length > 0) out.push(rest);
  return out;
}

function joinSentences(parts: string[]): string {
  return parts.join("").trim();
}

function joinLength(parts: string[]): number {
  return joinSentences(parts).length;
}

/**
 * Groups items in order into as few groups as the limit allows (an item longer than
 * `max` stands alone), and among those groupings picks the most even one, so that
 * n items totalling T do not end as full groups followed by a scrap.
 */
export function balancedGroups<T>(items: T[], size: (t: T) => number, max: number): T[][] {
  const n = items.length;
  if (n === 0) return [];
  const sizes = items.map(size);
  // best[i]: fewest groups for items[0..i), then least sum of squared group lengths
  const best: { groups: number; cost: number; from: number }[] = [{ groups: 0, cost: 0, from: -1 }];
  for (let i = 1; i <= n; i++) {
    best[i] = { groups: Infinity, cost: Infinity, from: i - 1 };
    let length = -1;
    for (let j = i - 1; j >= 0; j--) {
      length += sizes[j]! + 1;
      if (length > max && j < i - 1) break;
      const prev = best[j]!;
      const groups = prev.groups + 1;
      const cost = prev.cost + length * length;
      if (groups < best[i]!.groups || (groups === best[i]!.groups && cost < best[i]!.cost)) best[i] = { groups, cost, from: j };
    }
  }
  const groups: T[][] = [];
  for (let i = n; i > 0; i = best[i]!.from) groups.unshift(items.slice(best[i]!.from, i));
  return groups;
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
