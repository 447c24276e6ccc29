/**
 * The core's tiny formatting language (`**bold**` and plain text) and the splitting of
 * long replies at clean boundaries. Platform-free: adapters render the segments.
 *
 *   splitText(longAnswer, 4096)  // → parts of at most 4,096 characters, bold kept balanced
 *   segments("a **b** c")        // → [{text:"a ",bold:false},{text:"b",bold:true},{text:" c",bold:false}]
 */

export interface Segment {
  text: string;
  bold: boolean;
}

const BOLD = "**";

/** Splits formatted text into plain and bold runs (an unmatched `**` stays literal text). */
export function segments(text: string): Segment[] {
  const out: Segment[] = [];
  let rest = text;
  let bold = false;
  while (rest.length > 0) {
    const at = rest.indexOf(BOLD);
    if (at < 0 || (!bold && rest.indexOf(BOLD, at + 2) < 0)) {
      push(out, rest, bold);
      break;
    }
    push(out, rest.slice(0, at), bold);
    rest = rest.slice(at + 2);
    bold = !bold;
  }
  return out;
}

function push(out: Segment[], text: string, bold: boolean): void {
  if (text.length === 0) return;
  const last = out[out.length - 1];
  if (last && last.bold === bold) last.text += text;
  else out.push({ text, bold });
}

/** The text without formatting marks (for platforms that show plain text only). */
export function plainText(text: string): string {
  return segments(text).map((s) => s.text).join("");
}

/** Marks `text` bold in the core's formatting language (stray `*` pairs are defused). */
export function bold(text: string): string {
  return `${BOLD}${text.replaceAll(BOLD, "* *")}${BOLD}`;
}

/** Makes arbitrary text (a passage, a user's words) safe to embed: it cannot open bold by accident. */
export function literal(text: string): string {
  return text.replaceAll(BOLD, "* *");
}

// Preferred cut points, best first: paragraph, line, sentence end, clause, word.
const BREAKS: RegExp[] = [/\n\s*\n/g, /\n/g, /[.!?…:;](?=\s)/g, /[,)](?=\s)/g, /\s/g];

/**
 * Splits text into parts of at most `limit` characters (UTF-16 units, as the platforms
 * count), cutting at the best boundary in the second half of each window; bold that
 * spans a cut is closed and reopened so every part is well formed.
 */
export function splitText(text: string, limit: number): string[] {
  if (limit < 20) throw new Error(`splitText: limit ${limit} is too small`);
  const parts: string[] = [];
  let rest = text.trim();
  let reopenBold = false;
  while (rest.length > 0) {
    const prefix: string = reopenBold ? BOLD : "";
    // Room for a reopening and a closing "**".
    const room = limit - prefix.length - BOLD.length;
    const cut = prefix.length + rest.length <= limit ? rest.length : bestCut(rest, room);
    let part: string = prefix + rest.slice(0, cut).trimEnd();
    rest = rest.slice(cut).trimStart();
    const open: boolean = countMarks(part) % 2 === 1;
    if (open) part += BOLD;
    reopenBold = open && rest.length > 0;
    if (plainText(part).trim().length > 0) parts.push(part);
  }
  return parts.length > 0 ? parts : [""];
}

function bestCut(text: string, room: number): number {
  const window = text.slice(0, room + 1);
  const floor = Math.floor(room / 2);
  for (const re of BREAKS) {
    let best = -1;
    for (const m of window.matchAll(re)) {
      const end = m.index! + m[0].length;
      if (end <= room && end >= floor) best = end;
    }
    if (best > 0) return avoidSplittingMark(text, best);
  }
  return avoidSplittingMark(text, room);
}

// Never cut between the two stars of "**" nor inside a surrogate pair.
function avoidSplittingMark(text: string, cut: number): number {
  let c = cut;
  if (text[c - 1] === "*" && text[c] === "*") c -= 1;
  const code = text.charCodeAt(c - 1);
  if (code >= 0xd800 && code <= 0xdbff) c -= 1;
  return c;
}

function countMarks(text: string): number {
  let n = 0;
  let i = text.indexOf(BOLD);
  while (i >= 0) {
    n += 1;
    i = text.indexOf(BOLD, i + 2);
  }
  return n;
}
