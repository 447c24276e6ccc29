/**
 * One reader per file format, each turning a file's bytes into plain text (NFC is
 * applied later). HTML and .docx keep their headings as markdown `#` lines so the
 * chunker sees the same outline a markdown file gives. Adding a format = one entry.
 *
 *   const reader = READERS[".pdf"];
 *   const { text } = await reader.read(bytes, "quydinh294.pdf");
 */
import mammoth from "mammoth";
import { parse as parseHtml, NodeType, type HTMLElement, type Node } from "node-html-parser";
import type { DocumentFormat } from "../core/knowledge/types.js";
import { IngestError } from "./errors.js";
import { pdfText } from "./pdf-text.js";

export interface ReadText {
  text: string;
  /** The text carries markdown headings (`#`, `##`): markdown, HTML, .docx. */
  markdownHeadings: boolean;
  /** A title given by the format itself (HTML <title>). */
  title?: string;
}

export interface Reader {
  format: DocumentFormat;
  read(bytes: Buffer, file: string): Promise<ReadText>;
}

/** Minimum letters per page below which a PDF is taken for a scan without a text layer. */
const MIN_LETTERS_PER_PDF_PAGE = 20;

function decodeUtf8(bytes: Buffer, file: string): string {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes).replace(/^\uFEFF/, "");
  if (text.includes("\u0000")) throw new IngestError(file, "looks like a binary file, not text");
  const bad = (text.match(/\uFFFD/g) ?? []).length;
  if (bad > 0 && bad > text.length / 100) throw new IngestError(file, "is not UTF-8 text (save it as UTF-8 and try again)");
  return text;
}

const BLOCK_TAGS = new Set([
  "p", "div", "section", "article", "main", "header", "footer", "aside", "li", "ul", "ol", "table", "thead", "tbody",
  "tr", "td", "th", "blockquote", "pre", "br", "hr", "dl", "dt", "dd", "figure", "figcaption", "address", "body", "html",
]);
const SKIP_TAGS = new Set(["script", "style", "noscript", "template", "head", "svg", "nav", "button", "form"]);

// Lettered points of Vietnamese legal texts skip f, j, w and z and put đ after d.
const POINT_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split(" ");

/** The marker a list item's number is written with: "2." at the first level of a numbered list, "b)" below it, "-" otherwise. */
function listMarker(list: { ordered: boolean; type: string | undefined; depth: number }, n: number): string {
  if (!list.ordered) return "-";
  const type = list.type ?? (list.depth === 1 ? "1" : list.depth === 2 ? "a" : "-");
  if (type === "1") return `${n}.`;
  if (type === "a") return `${POINT_LETTERS[n - 1] ?? n})`;
  return "-";
}

/**
 * HTML to text lines: headings become `#` lines, block elements end lines, and list items
 * get back their numbers ("1.", "a)", "-"), which Word's automatic numbering leaves out of
 * the text (mammoth turns it into <ol>/<li>); the chunker needs them to see the structure.
 */
export function htmlToText(html: string): { text: string; title?: string } {
  const root = parseHtml(html.replace(/<!doctype[^>]*>/gi, ""), { blockTextElements: { script: false, style: false, noscript: false, pre: true } });
  const title = root.querySelector("title")?.text.trim() || undefined;
  const lines: string[] = [];
  const lists: { ordered: boolean; type: string | undefined; depth: number; count: number }[] = [];
  let buffer = "";
  // The number of the list item being read, put before its first line of text.
  let marker = "";
  const flush = () => {
    const line = buffer.replace(/\s+/g, " ").trim();
    if (line) {
      lines.push(marker ? `${marker} ${line}` : line);
      marker = "";
    }
    buffer = "";
  };
  const walk = (node: Node) => {
    if (node.nodeType === NodeType.TEXT_NODE) {
      buffer += node.text;
      return;
    }
    if (node.nodeType !== NodeType.ELEMENT_NODE) return;
    const el = node as HTMLElement;
    const tag = (el.rawTagName ?? "").toLowerCase();
    if (SKIP_TAGS.has(tag)) return;
    const heading = /^h([1-6])$/.exec(tag);
    if (heading) {
      flush();
      const text = el.text.replace(/\s+/g, " ").trim();
      if (text) lines.push(`${"#".repeat(Number(heading[1]))} ${text}`);
      return;
    }
    if (tag === "ol" || tag === "ul") {
      flush();
      const type = el.getAttribute("type");
      const start = Number(el.getAttribute("start") ?? "1");
      lists.push({ ordered: tag === "ol", type: type === "a" || type === "1" ? type : undefined, depth: lists.filter((l) => l.ordered).length + (tag === "ol" ? 1 : 0), count: (Number.isFinite(start) ? start : 1) - 1 });
      for (const child of el.childNodes) walk(child);
      lists.pop();
      flush();
      return;
    }
    if (tag === "li" && lists.length) {
      flush();
      const list = lists[lists.length - 1]!;
      marker = listMarker(list, ++list.count);
      for (const child of el.childNodes) walk(child);
      flush();
      marker = "";
      return;
    }
    const block = BLOCK_TAGS.has(tag);
    if (block) flush();
    for (const child of el.childNodes) walk(child);
    if (block) flush();
  };
  walk(root);
  flush();
  return { text: lines.join("\n"), title };
}

const markdownReader: Reader = {
  format: "md",
  async read(bytes, file) {
    return { text: decodeUtf8(bytes, file), markdownHeadings: true };
  },
};

const htmlReader: Reader = {
  format: "html",
  async read(bytes, file) {
    const { text, title } = htmlToText(decodeUtf8(bytes, file));
    return { text, title, markdownHeadings: true };
  },
};

/** Readers by file extension (lower case, with the dot). */
export const READERS: Record<string, Reader> = {
  ".txt": {
    format: "txt",
    async read(bytes, file) {
      return { text: decodeUtf8(bytes, file), markdownHeadings: false };
    },
  },
  ".md": markdownReader,
  ".markdown": markdownReader,
  ".html": htmlReader,
  ".htm": htmlReader,
  ".docx": {
    format: "docx",
    async read(bytes, file) {
      let html: string;
      try {
        html = (await mammoth.convertToHtml({ buffer: bytes })).value;
      } catch (error) {
        throw new IngestError(file, `is not a readable .docx file (${(error as Error).message.split("\n")[0]})`);
      }
      return { text: htmlToText(html).text, markdownHeadings: true };
    },
  },
  ".pdf": {
    format: "pdf",
    async read(bytes, file) {
      if (bytes.subarray(0, 1024).indexOf("%PDF-") < 0) throw new IngestError(file, "is not a PDF file (no %PDF- header)");
      let result: Awaited<ReturnType<typeof pdfText>>;
      try {
        result = await pdfText(new Uint8Array(bytes));
      } catch (error) {
        throw new IngestError(file, `is not a readable PDF (${(error as Error).message.split("\n")[0]})`);
      }
      const letters = (result.text.match(/\p{L}/gu) ?? []).length;
      if (letters < MIN_LETTERS_PER_PDF_PAGE * Math.max(1, result.pages) && letters < 200) {
        throw new IngestError(
          file,
          `has no text layer (${result.pages} page(s), ${letters} letters): it looks like a scanned PDF; run OCR on it first (e.g. ocrmypdf) and ingest the result`,
        );
      }
      return { text: result.text, markdownHeadings: false };
    },
  },
};

/** Extensions the pipeline reads, for messages. */
export const SUPPORTED_EXTENSIONS = Object.keys(READERS);
