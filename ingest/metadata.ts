/**
 * Document metadata (title, số hiệu, issuing body, date, type) from what a file says
 * about itself: the corpus header block (`=== THÔNG TIN VĂN BẢN ===`), markdown front
 * matter, or the letterhead of a party document ("Số 294-QĐ/TW", "Hà Nội, ngày 26
 * tháng 5 năm 2025", "QUY ĐỊNH" + title, "T/M BAN BÍ THƯ").
 *
 *   const { meta, body } = extractMetadata(text);
 *   documentLabel(meta); // "Quy định 294-QĐ/TW"
 */
import type { DocumentMetadata } from "../core/knowledge/types.js";
import { collapseSpace } from "../core/text/vietnamese.js";
import { parseReplacesField } from "../core/knowledge/replacements.js";

/** Document types recognised on a line of their own, upper case, under the letterhead. */
const DOC_TYPES = [
  "QUY ĐỊNH",
  "HƯỚNG DẪN",
  "NGHỊ QUYẾT",
  "QUYẾT ĐỊNH",
  "CHỈ THỊ",
  "KẾT LUẬN",
  "THÔNG TRI",
  "THÔNG BÁO",
  "BÁO CÁO",
  "QUY CHẾ",
  "ĐIỀU LỆ",
  "KẾ HOẠCH",
  "CÔNG VĂN",
  "TỜ TRÌNH",
  "CHƯƠNG TRÌNH",
  "ĐỀ ÁN",
  "LUẬT",
  "NGHỊ ĐỊNH",
  "THÔNG TƯ",
  "SỔ TAY",
];

/**
 * Names that keep their capitals when an upper-case line is written in sentence case
 * (Vietnamese capitalises the Party, state bodies and places, not ordinary words).
 */
const PROPER_NAMES = [
  "Đảng Cộng sản Việt Nam",
  "Điều lệ Đảng",
  "Huy hiệu Đảng",
  "Ban Chấp hành Trung ương",
  "Bộ Chính trị",
  "Ban Bí thư",
  "Ban Tổ chức Trung ương",
  "Ban Tổ chức",
  "Ban Thường vụ",
  "Thành ủy",
  "Thành uỷ",
  "Tỉnh ủy",
  "Trung ương",
  "Nhà nước",
  "Quốc hội",
  "Chính phủ",
  "Mặt trận Tổ quốc",
  "Hồ Chí Minh",
  "Hà Nội",
  "Việt Nam",
  "Đoàn",
  "Đảng",
];

/** "THI HÀNH ĐIỀU LỆ ĐẢNG" → "Thi hành Điều lệ Đảng" (first letter and known names capitalised). */
export function sentenceCase(text: string): string {
  let out = text.toLocaleLowerCase("vi");
  for (const name of PROPER_NAMES) {
    const lower = name.toLocaleLowerCase("vi");
    out = out.replace(new RegExp(`(^|[^\\p{L}])${escapeRegExp(lower)}(?![\\p{L}])`, "gu"), (_m, pre: string) => pre + name);
  }
  // "đảng viên", "tổ chức đảng": the party's name only when it stands for the Party itself.
  out = out.replace(/Đảng(?= viên| ủy| uỷ| bộ| phí| tịch| đoàn)/gu, "đảng").replace(/(tổ chức|cấp ủy|cấp uỷ|chi bộ|sinh hoạt|công tác|tuổi|thẻ|hồ sơ) Đảng/gu, "$1 đảng");
  out = out.replace(/(vào|của|trong|ra khỏi|thi hành Điều lệ) đảng(?![\p{L}])/gu, "$1 Đảng");
  return out.charAt(0).toLocaleUpperCase("vi") + out.slice(1);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A số hiệu like "294-QĐ/TW", "06-HD/TW", "02-QĐ/TU"; undefined for blanks like "-HD/BTCTU". */
export function parseNumber(text: string): string | undefined {
  const m = /(\d{1,4})\s*[-–]\s*([A-ZĐ][A-ZĐa-z]*(?:\/[A-ZĐ][A-ZĐa-z]*)+)/u.exec(text);
  return m ? `${m[1]}-${m[2]}` : undefined;
}

export interface Extracted {
  meta: DocumentMetadata;
  /** The document text without the header block and letterhead. */
  body: string;
}

/**
 * Reads metadata from the start (and signature) of a document and returns the body to
 * chunk. `fallbackTitle` (the file name) is used when no title can be found.
 */
export function extractMetadata(text: string, fallbackTitle: string): Extracted {
  const header = readHeaderBlock(text);
  if (header) return { meta: withTitle(header.meta, fallbackTitle), body: stripLetterhead(header.body).body };
  const { body, letterhead } = stripLetterhead(text);
  const meta = readLetterhead(letterhead, body);
  return { meta: withTitle(meta, fallbackTitle), body };
}

function withTitle(meta: Partial<DocumentMetadata>, fallbackTitle: string): DocumentMetadata {
  const out: DocumentMetadata = { title: meta.title?.trim() || fallbackTitle };
  if (meta.number) out.number = meta.number;
  if (meta.issuer) out.issuer = meta.issuer;
  if (meta.issuedOn) out.issuedOn = meta.issuedOn;
  if (meta.docType) out.docType = meta.docType;
  if (meta.replaces?.length) out.replaces = meta.replaces;
  return out;
}

const HEADER_START = "=== THÔNG TIN VĂN BẢN ===";
const HEADER_END = "=== HẾT THÔNG TIN VĂN BẢN ===";

/** The corpus header block: `KEY: value` lines between the two markers. */
function readHeaderBlock(text: string): { meta: Partial<DocumentMetadata>; body: string } | undefined {
  const start = text.indexOf(HEADER_START);
  const end = text.indexOf(HEADER_END);
  if (start < 0 || end < start || text.slice(0, start).trim() !== "") return undefined;
  const fields = new Map<string, string>();
  for (const line of text.slice(start + HEADER_START.length, end).split("\n")) {
    const m = /^\s*([^:]+?)\s*:\s*(.*)$/u.exec(line);
    if (m) fields.set(m[1]!.toLocaleUpperCase("vi"), m[2]!.trim());
  }
  const meta: Partial<DocumentMetadata> = {};
  const title = fields.get("TIÊU ĐỀ");
  if (title) meta.title = title;
  const number = fields.get("SỐ HIỆU");
  // Only a value that starts with the number counts ("Bản PDF để trống số..." is a remark).
  if (number && /^\d/.test(number)) meta.number = parseNumber(number);
  const type = fields.get("LOẠI VĂN BẢN");
  if (type) meta.docType = type;
  const issuer = fields.get("CƠ QUAN BAN HÀNH");
  if (issuer) meta.issuer = issuer;
  const date = fields.get("NGÀY BAN HÀNH");
  if (date) meta.issuedOn = date.replace(/\s*[(;].*$/u, "").trim();
  const replaces = fields.get("THAY THẾ");
  if (replaces) meta.replaces = parseReplacesField(replaces);
  return { meta, body: text.slice(end + HEADER_END.length) };
}

/** Markdown front matter (`---` … `---`) with keys so_hieu, co_quan, ngay, loai, thay_the. */
export function readFrontMatter(text: string): { fields: Map<string, string>; body: string } {
  const m = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  const fields = new Map<string, string>();
  if (!m) return { fields, body: text };
  let listKey: string | undefined;
  for (const line of m[1]!.split(/\r?\n/)) {
    const kv = /^\s*([\w-]+)\s*:\s*(.*?)\s*$/.exec(line);
    const item = /^\s*-\s+(.*?)\s*$/.exec(line);
    if (kv) {
      fields.set(kv[1]!.toLowerCase(), unquote(kv[2]!));
      listKey = kv[2] ? undefined : kv[1]!.toLowerCase();
    } else if (item && listKey) {
      // A YAML list under an empty key ("thay_the:" then "  - 24-QĐ/TW" lines): its items, ";"-separated.
      fields.set(listKey, [fields.get(listKey), unquote(item[1]!)].filter(Boolean).join("; "));
    }
  }
  return { fields, body: text.slice(m[0].length) };
}

const unquote = (value: string) => value.replace(/^["']|["']$/g, "");

/** Metadata of a markdown file: title from its `# ` heading, the rest from front matter. */
export function markdownMetadata(fields: Map<string, string>, title: string | undefined, fallbackTitle: string): DocumentMetadata {
  const number = fields.get("so_hieu");
  return withTitle(
    {
      title,
      number: number ? (parseNumber(number) ?? number) : undefined,
      issuer: fields.get("co_quan"),
      issuedOn: fields.get("ngay"),
      docType: fields.get("loai"),
      replaces: parseReplacesField(fields.get("thay_the") ?? ""),
    },
    fallbackTitle,
  );
}

const DATE_LINE = /ngày[\s\d.…]*tháng\s*\d{1,2}\s*năm\s*\d{4}/u;

/**
 * Splits off the letterhead (issuer, "*", số hiệu, "ĐẢNG CỘNG SẢN VIỆT NAM", place and
 * date): everything up to the date line, when that line is among the first lines and
 * the block looks like a letterhead.
 */
function stripLetterhead(text: string): { letterhead: string[]; body: string } {
  const lines = text.split("\n");
  const firstLines: number[] = [];
  for (let i = 0; i < lines.length && firstLines.length < 14; i++) if (lines[i]!.trim()) firstLines.push(i);
  for (let k = 0; k < firstLines.length; k++) {
    const i = firstLines[k]!;
    const line = lines[i]!;
    const withPrevious = k > 0 ? `${lines[firstLines[k - 1]!]} ${line}` : line;
    if (!/năm\s*\d{4}\s*$/u.test(line.trim()) || !DATE_LINE.test(collapseSpace(withPrevious))) continue;
    const head = firstLines.slice(0, k + 1).map((j) => lines[j]!.trim());
    if (!head.some((l) => /^Số\b/u.test(l) || /ĐẢNG CỘNG SẢN VIỆT NAM/u.test(l))) break;
    return { letterhead: head, body: lines.slice(i + 1).join("\n") };
  }
  return { letterhead: [], body: text };
}

/** Metadata from a letterhead and the lines after it. */
function readLetterhead(letterhead: string[], body: string): Partial<DocumentMetadata> {
  const meta: Partial<DocumentMetadata> = {};
  const head = letterhead.join("\n");
  const numberLine = /Số\s*:?\s*([^\n]*(?:\n\s*-[^\n]*)?)/u.exec(head);
  if (numberLine) meta.number = parseNumber(numberLine[1]!);

  const date = /ngày\s*(\d{1,2})?\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})/u.exec(collapseSpace(head));
  if (date) meta.issuedOn = date[1] ? `${date[1]}/${date[2]}/${date[3]}` : `${date[2]}/${date[3]}`;

  // Issuer: the letterhead lines above "*" (parent body first), or the signature "T/M ...".
  const signature = /T\/M\s+([^\n]+)/u.exec(body);
  if (signature) meta.issuer = sentenceCase(signature[1]!.trim());
  else {
    const star = letterhead.findIndex((l) => l === "*" || /^ĐẢNG CỘNG SẢN/u.test(l) || /^Số\b/u.test(l));
    const issuerLines = letterhead.slice(0, star < 0 ? 0 : star).filter((l) => isUpper(l) && !/ĐẢNG CỘNG SẢN/u.test(l));
    if (issuerLines.length > 0) meta.issuer = issuerLines.reverse().map(sentenceCase).join(" ");
  }

  // Type and title: a document-type line, then the title lines below it.
  const lines = body.split("\n").map((l) => l.replace(/[-_=*–—]{3,}.*$/u, "").trim()).filter(Boolean).slice(0, 8);
  const typeIndex = lines.findIndex((l) => DOC_TYPES.includes(l.toLocaleUpperCase("vi")) && isUpper(l));
  if (typeIndex >= 0) {
    meta.docType = sentenceCase(lines[typeIndex]!);
    const titleLines: string[] = [];
    for (const l of lines.slice(typeIndex + 1)) {
      // The first line under the type is the title even when it reads "Thực hiện ..."; later ones may be the preamble.
      if (/^[-+•(]/.test(l) || /^\d+\./.test(l) || (titleLines.length > 0 && /^(Căn cứ|Thực hiện|Xét)\b/u.test(l))) break;
      titleLines.push(l);
      if (!isUpper(l) || titleLines.length >= 3) break;
    }
    const rest = titleLines.join(" ");
    if (rest) {
      const tail = isUpper(rest) ? sentenceCase(rest).replace(/^\p{Lu}/u, (c) => c.toLocaleLowerCase("vi")) : lowerFirst(rest);
      meta.title = `${meta.docType} ${tail}`;
    } else meta.title = meta.docType;
  }
  return meta;
}

function isUpper(line: string): boolean {
  return /\p{L}/u.test(line) && !/\p{Ll}/u.test(line);
}

function lowerFirst(s: string): string {
  const first = s.split(" ")[0] ?? "";
  // Keep a capital that belongs to a name ("Huy hiệu"), lower the usual sentence-initial one.
  return PROPER_NAMES.some((n) => s.startsWith(n)) || first.length <= 1 ? s : s.charAt(0).toLocaleLowerCase("vi") + s.slice(1);
}

/**
 * The short document label that starts every heading path: "Quy định 294-QĐ/TW"
 * when type and number are known, the number alone, "Điều lệ Đảng" for the Charter, else the title.
 */
export function documentLabel(meta: DocumentMetadata): string {
  if (meta.number) return meta.docType ? `${meta.docType} ${meta.number}` : meta.number;
  // The Party Charter has no number; members cite it as "Điều lệ Đảng".
  if (/^Điều lệ Đảng\b/u.test(meta.title)) return "Điều lệ Đảng";
  const title = collapseSpace(meta.title);
  if (title.length <= 90) return title;
  const cut = title.slice(0, 90);
  return `${cut.slice(0, cut.lastIndexOf(" "))}…`;
}
