/**
 * Text of a PDF's text layer (via unpdf), as paragraphs: page numbers and repeated
 * page headers dropped, lines that only wrap joined again. A line break is kept where
 * the previous line stops short of the right margin, the next one is indented or set
 * apart by extra space, or a new item starts after a finished sentence.
 *
 *   const { text, pages } = await pdfText(bytes);
 */
import { extractTextItems, getDocumentProxy } from "unpdf";

interface Line {
  text: string;
  x: number;
  right: number;
  y: number;
  size: number;
  page: number;
}

export interface PdfText {
  text: string;
  pages: number;
}

/** Reads the text layer; throws when the bytes are not a PDF pdf.js can open. */
export async function pdfText(bytes: Uint8Array): Promise<PdfText> {
  const pdf = await getDocumentProxy(bytes);
  try {
    const { items, totalPages } = await extractTextItems(pdf);
    const pages = items.map((pageItems, page) => toLines(pageItems, page));
    const kept = dropPageFurniture(pages);
    return { text: joinLines(kept), pages: totalPages };
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}

type Item = Awaited<ReturnType<typeof extractTextItems>>["items"][number][number];

function toLines(items: Item[], page: number): Line[] {
  const lines: Line[] = [];
  let current: Line | undefined;
  let endOfLine = true;
  for (const item of items) {
    const sameRow = current && Math.abs(current.y - item.y) <= Math.max(2, item.fontSize * 0.4);
    if (!current || (endOfLine && !sameRow) || !sameRow) {
      if (current && current.text.trim()) lines.push(current);
      current = { text: "", x: item.x, right: item.x, y: item.y, size: item.fontSize, page };
    }
    if (item.str.length > 0) {
      if (!current.text.trim()) current.x = item.x;
      current.text += item.str;
      if (item.str.trim()) current.right = Math.max(current.right, item.x + item.width);
      current.size = Math.max(current.size, item.fontSize);
    }
    endOfLine = item.hasEOL;
  }
  if (current && current.text.trim()) lines.push(current);
  for (const l of lines) l.text = l.text.replace(/\s+/g, " ").trim();
  return lines;
}

const PAGE_NUMBER = /^[-–—\s]*(?:trang\s*)?\d{1,4}(?:\s*\/\s*\d{1,4})?[-–—\s]*$/iu;

/** Drops page numbers and headers/footers repeated at the top or bottom of many pages. */
function dropPageFurniture(pages: Line[][]): Line[] {
  const edgeKey = (l: Line) => l.text.replace(/\d+/g, "#");
  const counts = new Map<string, number>();
  for (const lines of pages) {
    const edges = new Set([lines[0], lines.at(-1)].filter((l): l is Line => !!l).map(edgeKey));
    for (const k of edges) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const repeated = (l: Line) => pages.length >= 3 && (counts.get(edgeKey(l)) ?? 0) >= Math.max(3, pages.length * 0.3);
  const out: Line[] = [];
  for (const lines of pages) {
    lines.forEach((line, i) => {
      const atEdge = i <= 1 || i >= lines.length - 2;
      if (atEdge && PAGE_NUMBER.test(line.text)) return;
      if ((i === 0 || i === lines.length - 1) && repeated(line)) return;
      out.push(line);
    });
  }
  return out;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** A line that starts a heading, point or list item. */
const ITEM_START = /^(?:[-+•*–]\s|\d{1,3}(?:\.\d{1,3})*\.?\s|\d{1,2}\)|\(\d{1,2}\)|[a-zđ]\)|[IVXL]+\.\s|[A-ZĐ]\.\s|PHẦN\s|Phần\s|CHƯƠNG\s|Chương\s|MỤC\s|Mục\s|Điều\s\d)/u;

function joinLines(lines: Line[]): string {
  const long = lines.filter((l) => l.text.length >= 40);
  const rightEdge = percentile(long.map((l) => l.right), 0.9);
  const leftEdge = percentile(long.map((l) => l.x), 0.1);
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const a = lines[i - 1]!;
    const b = lines[i]!;
    if (a.page === b.page && a.y > b.y) gaps.push(a.y - b.y);
  }
  const lineGap = percentile(gaps, 0.3) || 14;

  let out = "";
  lines.forEach((line, i) => {
    if (i === 0) {
      out = line.text;
      return;
    }
    const prev = lines[i - 1]!;
    const em = Math.max(prev.size, line.size);
    const shortLine = prev.right < rightEdge - 2.5 * em;
    const spaced = prev.page === line.page && prev.y - line.y > lineGap * 1.5;
    const indented = line.x > leftEdge + 1.2 * em;
    const sentenceDone = /[.;:!?…)]$/u.test(prev.text);
    const item = ITEM_START.test(line.text);
    const newParagraph = shortLine || spaced || indented || (item && sentenceDone);
    if (newParagraph) out += `\n${line.text}`;
    else if (/[\p{L}\d]-$/u.test(prev.text)) out += line.text; // "06-" + "HD/TW": a hyphenated code, not a word break
    else out += ` ${line.text}`;
  });
  return out;
}
