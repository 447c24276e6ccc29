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
import type { ChunkedPassage, DocumentSection } from "../core/knowledge/types.js";
import { nfc } from "../core/text/vietnamese.js";
import { buildOutline, classifyLine, unitPaths, unitText, unitTextLength, type Unit } from "./outline.js";
import { locator, ownTitle, renderPath, subject, type Place } from "./citation.js";
import { SharedText } from "./shared-text.js";

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
  return chunkWithSections(text, options).passages;
}

/** chunkDocument, plus every unit of the document's outline as a section (its path, title and own text). */
export function chunkWithSections(text: string, options: ChunkOptions): { passages: ChunkedPassage[]; sections: DocumentSection[] } {
  const max = options.maxChars ?? MAX_PASSAGE_CHARS;
  const shared = new SharedText(cleanLines(options.markdownHeadings ? stripMarkdown(text) : text));
  const root = buildOutline(shared.lines, { markdownHeadings: options.markdownHeadings });
  const merge = Math.min(max, options.mergeChars ?? MERGE_TARGET_CHARS);
  const paths = unitPaths(root);
  const share = shared.sharer();
  const passages: ChunkedPassage[] = [];
  // Each cut becomes a passage as it comes (its text a slice of the shared text): a large
  // document's cut texts, copies as long as the document, never exist all at once.
  new Chunker(max, merge).unit(root, [], true, undefined, (cut) => {
    if (!/\S/.test(cut.text)) return;
    const deepest = cut.place.units.at(-1) ?? root;
    passages.push({
      heading: renderPath(options.label, cut.place),
      text: share(cut.text),
      locator: locator(cut.place),
      subject: subject(cut.place),
      sectionPath: paths.get(deepest)!,
      sections: [...new Set(cut.units.filter((u) => u !== root || u.lines.length > 0).map((u) => paths.get(u)!))],
    });
  });
  return { passages, sections: outlineSections(root, paths, shared.sharer()) };
}

/** Every unit with text of its own (the opening part too), in document order. */
function outlineSections(root: Unit, paths: Map<Unit, string>, share: (text: string) => string): DocumentSection[] {
  const out: DocumentSection[] = [];
  const walk = (unit: Unit, depth: number) => {
    if (unit !== root || unit.lines.length > 0) {
      out.push({ path: paths.get(unit)!, kind: unit.kind === "root" ? "intro" : unit.kind, marker: unit.marker, title: unit === root ? "" : ownTitle(unit), depth, text: share(unit.lines.join("\n")) });
    }
    for (const child of unit.children) walk(child, depth + 1);
  };
  walk(root, 0);
  return out;
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
  /** The units whose own lines the piece holds. */
  units: Unit[];
}

/** A parent's heading line with no body is carried into its first child's passage rather than standing alone. */
const MAX_LEAD_CHARS = 300;

/** A unit and every unit below it, in document order. */
function subtree(unit: Unit): Unit[] {
  return [unit, ...unit.children.flatMap(subtree)];
}

/** What the chunker makes of one passage before the citation is rendered. */
interface Cut {
  place: Place;
  text: string;
  units: Unit[];
}

class Chunker {
  /** Text length of each unit (measured before any text is built: most units are too long to be one passage). */
  private readonly lengths = new Map<Unit, number>();

  constructor(
    private readonly max: number,
    private readonly merge: number,
  ) {}

  /**
   * Passages for one unit. `lead` is an ancestor's heading text (and that ancestor) that goes
   * before this unit's first passage. Given `sink`, this unit's cuts go to it in document
   * order as they are made, instead of being returned.
   */
  unit(unit: Unit, units: Unit[], isRoot = false, lead?: Piece, sink?: (cut: Cut) => void): Cut[] {
    const wholeLength = (lead ? lead.text.length + 1 : 0) + unitTextLength(unit, this.lengths);
    if (!isRoot && this.fitsWhole(unit, wholeLength)) {
      const whole: Cut = { place: { units }, text: (lead ? `${lead.text}\n` : "") + unitText(unit), units: [...(lead?.units ?? []), ...subtree(unit)] };
      if (!sink) return [whole];
      sink(whole);
      return [];
    }

    const out: Cut[] = [];
    // Appended one by one: spreading a large document's thousands of cuts into push() overflows the stack.
    const emit = (cuts: Cut[]) => {
      for (const cut of cuts) sink ? sink(cut) : out.push(cut);
    };
    const own = [lead?.text, ...unit.lines].filter((l): l is string => !!l).join("\n");
    const ownUnits = [...(lead?.units ?? []), unit];
    let run: Piece[] = [];
    let pendingLead: Piece | undefined;
    const flush = () => {
      if (run.length > 0) emit(this.pack(run, units));
      run = [];
    };
    if (own.length > 0) {
      if (isRoot || own.length > this.max) emit(this.splitText(own.split("\n"), { units }, ownUnits));
      else run.push({ text: own, units: ownUnits });
    }
    for (const child of unit.children) {
      // Top-level units are never merged with each other: a passage stays inside one section.
      if (!this.fitsWhole(child, unitTextLength(child, this.lengths)) || isRoot) {
        // A heading with nothing else waiting goes in front of the child's first passage.
        if (run.length === 1 && !run[0]!.unit && run[0]!.text.length <= MAX_LEAD_CHARS) {
          pendingLead = run[0]!;
          run = [];
        }
        flush();
        emit(this.unit(child, [...units, child], false, pendingLead));
        pendingLead = undefined;
      } else {
        run.push({ text: unitText(child), unit: child, units: subtree(child) });
      }
    }
    flush();
    return out;
  }

  /** A unit stays one passage when it is small, or has no sub-units and fits the limit. */
  private fitsWhole(unit: Unit, length: number): boolean {
    return length <= this.merge || (unit.children.length === 0 && length <= this.max);
  }

  /** Merges consecutive pieces of one parent into passages of at most `max`, evenly sized. */
  private pack(pieces: Piece[], units: Unit[]): Cut[] {
    // The parent's own heading lines never stand alone when a sub-unit follows.
    const first = pieces[0];
    const second = pieces[1];
    if (first && !first.unit && second?.unit && first.text.length + 1 + second.text.length <= this.max) {
      pieces = [{ text: `${first.text}\n${second.text}`, unit: second.unit, units: [...first.units, ...second.units] }, ...pieces.slice(2)];
    }
    const groups = balancedGroups(pieces, (p) => p.text.length, this.merge);
    return groups.map((group) => {
      // Named after the sub-units it holds (the parent's heading line may lead it).
      const children = group.filter((p) => p.unit).map((p) => p.unit!);
      let place: Place;
      if (children.length === 1) place = { units: [...units, children[0]!] };
      else if (children.length > 1) place = { units, range: [children[0]!, children.at(-1)!] };
      else place = { units };
      return { place, text: group.map((p) => p.text).join("\n"), units: group.flatMap((p) => p.units) };
    });
  }

  /**
   * Splits text that is too long for one passage: first at item boundaries (lines
   * starting a dash, plus or numbered item), then inside an item at sentence ends.
   * Plain paragraph breaks are not boundaries, so text read from a PDF (where line
   * breaks are guessed) splits exactly like the same text from a clean file.
   */
  private splitText(lines: string[], place: Place, units: Unit[]): Cut[] {
    const blocks: string[] = [];
    for (const line of lines) {
      if (blocks.length === 0 || startsItem(line)) blocks.push(line);
      else blocks[blocks.length - 1] += `\n${line}`;
    }
    const pieces: string[] = [];
    for (const block of blocks) {
      if (block.length <= this.max) pieces.push(block);
      else for (const piece of this.splitLongBlock(block)) pieces.push(piece);
    }
    const groups = balancedGroups(pieces, (p) => p.length, this.max);
    return groups.map((g) => ({ place, text: g.join("\n"), units }));
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

