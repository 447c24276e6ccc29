/**
 * The layout of a party cell's paperwork as DOCX (with the `docx` library): A4, Times New Roman
 * 14, party-document margins; the header in two columns (the party organisation on the left,
 * "ĐẢNG CỘNG SẢN VIỆT NAM" and the place and date on the right, as on the Ban Tổ chức Trung ương's
 * forms such as Mẫu 02A-HD KĐ.ĐG), a centred title, numbered sections, dotted lines to fill by
 * hand, and a signature block. Used by the self-assessment and the meeting minutes.
 *
 *   const doc = partyDocument([...partyHeader({ ... }), ...title(["BIÊN BẢN"]), heading("I. ..."), ...]);
 *   const bytes = await docxBytes(doc);
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableRow,
  TabStopPosition,
  TabStopType,
  TextRun,
  UnderlineType,
  WidthType,
  convertMillimetersToTwip,
  type FileChild,
} from "docx";

const FONT = "Times New Roman";
/** Half-points: 14 pt body text. */
const SIZE = 28;

/** The party's own title line: party documents carry it where state documents carry the national motto. */
export const PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM";

/** Under each signature title. */
export const SIGN_NOTE = "(Ký, ghi rõ họ tên)";
/** The documents' author in their properties. */
const CREATOR = "Sổ tay đảng viên điện tử";

export const DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

type Runs = { text: string; bold?: boolean; italics?: boolean; underline?: boolean; size?: number }[];

function runs(parts: Runs): TextRun[] {
  return parts.map((p) => new TextRun({ text: p.text, bold: p.bold, italics: p.italics, size: p.size, underline: p.underline ? { type: UnderlineType.SINGLE } : undefined }));
}

const centred = (parts: Runs, after = 0) => new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after }, children: runs(parts) });

/**
 * The two-column header: the organisation (its parent in capitals, the cell in bold capitals and
 * a star beneath) and the party title with the place and date in italics.
 */
export function partyHeader(input: { parent?: string; cell: string; placeAndDate: string }): FileChild[] {
  const left = [
    ...(input.parent ? [centred([{ text: input.parent.toUpperCase() }])] : []),
    centred([{ text: input.cell.toUpperCase(), bold: true }]),
    centred([{ text: "*" }]),
  ];
  const right = [centred([{ text: PARTY_TITLE, bold: true, underline: true }], 120), centred([{ text: input.placeAndDate, italics: true }])];
  const cell = (children: Paragraph[]) => new TableCell({ children, width: { size: 50, type: WidthType.PERCENTAGE }, borders: TableBorders.NONE });
  return [
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      borders: TableBorders.NONE,
      rows: [new TableRow({ children: [cell(left), cell(right)] })],
    }),
    new Paragraph({ children: [] }),
  ];
}

/** The centred title: the first line bold and larger, the others bold (or italic when in brackets). */
export function title(lines: string[]): Paragraph[] {
  return lines.map((line, i) =>
    centred([{ text: line, bold: i === 0 || !line.startsWith("("), italics: line.startsWith("("), size: i === 0 ? 30 : SIZE }], i === lines.length - 1 ? 240 : 0),
  );
}

/** A section heading ("I. THÀNH PHẦN"). */
export function heading(text: string): Paragraph {
  return new Paragraph({ spacing: { before: 200, after: 80 }, keepNext: true, children: runs([{ text, bold: true }]) });
}

/** A justified body paragraph; `label` (bold) may lead it ("Địa điểm: ..."). Line breaks in `text` are kept. */
export function paragraph(text: string, label?: string): Paragraph {
  const lines = text.split("\n");
  const children: TextRun[] = [];
  if (label) children.push(new TextRun({ text: `${label} `, bold: true }));
  lines.forEach((line, i) => children.push(new TextRun({ text: line, break: i > 0 ? 1 : undefined })));
  return new Paragraph({ alignment: AlignmentType.JUSTIFIED, spacing: { after: 80 }, indent: { firstLine: label ? 0 : convertMillimetersToTwip(10) }, children });
}

/** Free text as paragraphs, one per line the writer typed. */
export function bodyText(text: string): Paragraph[] {
  const lines = text.split(/\n+/).map((l) => l.trim()).filter(Boolean);
  return lines.length ? lines.map((l) => paragraph(l)) : dottedLines(3);
}

/** A list item, indented under its list's lead-in line. */
export function item(text: string): Paragraph {
  return new Paragraph({ spacing: { after: 40 }, indent: { left: convertMillimetersToTwip(15) }, children: runs([{ text }]) });
}

/** A list's lead-in line ("1. Đảng viên có mặt (2):"), indented like a paragraph's first line. */
export function listTitle(text: string): Paragraph {
  return new Paragraph({ spacing: { before: 60, after: 40 }, keepNext: true, indent: { left: convertMillimetersToTwip(10) }, children: runs([{ text, italics: true }]) });
}

/** Lines of dots across the page to write on by hand (a tab with a dotted leader, as Word's forms do). */
export function dottedLines(n: number): Paragraph[] {
  return Array.from(
    { length: n },
    () => new Paragraph({ spacing: { after: 80 }, tabStops: [{ type: TabStopType.RIGHT, position: TabStopPosition.MAX, leader: "dot" }], children: [new TextRun({ text: "\t" })] }),
  );
}

/** Signatures side by side: each a title in bold capitals, a note in italics, space to sign, and the name. */
export function signatures(columns: { title: string; note?: string; name?: string }[]): FileChild[] {
  const cells = columns.map(
    (c) =>
      new TableCell({
        width: { size: Math.floor(100 / columns.length), type: WidthType.PERCENTAGE },
        borders: TableBorders.NONE,
        children: [
          ...c.title.split("\n").map((t) => centred([{ text: t, bold: true }])),
          centred([{ text: c.note ?? SIGN_NOTE, italics: true }], 1200),
          centred([{ text: c.name ?? "", bold: true }]),
        ],
      }),
  );
  return [new Paragraph({ spacing: { before: 240 }, children: [] }), new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, borders: TableBorders.NONE, rows: [new TableRow({ children: cells })] })];
}

/** A thin rule across the page (between the form and the cell's part). */
export function rule(): Paragraph {
  return new Paragraph({ spacing: { before: 240, after: 120 }, border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: "000000", space: 1 } }, children: [] });
}

/** A document on A4 with party-document margins (top and bottom 20 mm, left 30 mm, right 15 mm). */
export function partyDocument(children: FileChild[], meta: { title: string }): Document {
  return new Document({
    title: meta.title,
    creator: CREATOR,
    styles: { default: { document: { run: { font: FONT, size: SIZE } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: convertMillimetersToTwip(210), height: convertMillimetersToTwip(297) },
            margin: { top: convertMillimetersToTwip(20), bottom: convertMillimetersToTwip(20), left: convertMillimetersToTwip(30), right: convertMillimetersToTwip(15) },
          },
        },
        children,
      },
    ],
  });
}

/** The document's bytes. */
export async function docxBytes(doc: Document): Promise<Uint8Array> {
  return new Uint8Array(await Packer.toBuffer(doc));
}

/** "ngày 04 tháng 12 năm 2026". */
export function dateInWords(d: { day: number; month: number; year: number }): string {
  return `ngày ${String(d.day).padStart(2, "0")} tháng ${String(d.month).padStart(2, "0")} năm ${d.year}`;
}

