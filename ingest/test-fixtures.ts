/**
 * Small files built in code for the ingest tests: a hand-written PDF (with or without
 * a text layer), a minimal .docx (OOXML zip), and a folder to run the ingest CLI in. Test support only.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import JSZip from "jszip";

export interface IngestWorkspace {
  dir: string;
  /** The ingest CLI's environment: its own DATA_DIR, an empty QUESTIONS_DIR, no log. */
  env: Record<string, string>;
  /** Writes a file into the folder; returns its path. */
  write(name: string, content: string): string;
  remove(): void;
}

/** A temporary folder for a test that runs the ingest CLI. */
export function ingestWorkspace(prefix: string): IngestWorkspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    env: { DATA_DIR: path.join(dir, "data"), LOG_LEVEL: "silent", QUESTIONS_DIR: path.join(dir, "questions") },
    write(name, content) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      return file;
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A one-page PDF whose page content stream is `content` (PDF operators), with correct xref offsets. */
export function minimalPdf(content: string): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let pdf = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf, "latin1"));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, "latin1");
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) pdf += `${String(o).padStart(10, "0")} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, "latin1");
}

/** PDF text operators that write each line at its own height (ASCII only: Helvetica, no embedded font). */
export function pdfTextLines(lines: string[]): string {
  const esc = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);
  return lines.map((l, i) => `BT /F1 10 Tf 20 ${280 - i * 14} Td (${esc(l)}) Tj ET`).join("\n");
}

const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** An OOXML relationships part: one relationship per [type, target], numbered rId1, rId2... */
function relationships(...rels: [type: string, target: string][]): string {
  const lines = rels.map(([type, target], i) => `<Relationship Id="rId${i + 1}" Type="${type}" Target="${target}"/>`);
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
${lines.join("\n")}
</Relationships>`;
}
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** A minimal .docx: paragraphs, each optionally in a heading style ("Heading1", "Heading2"). */
export async function minimalDocx(paragraphs: { text: string; style?: "Heading1" | "Heading2"; list?: 0 | 1 }[]): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    "[Content_Types].xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
</Types>`,
  );
  zip.file("_rels/.rels", relationships([`${REL}/officeDocument`, "word/document.xml"]));
  zip.file("word/_rels/document.xml.rels", relationships([`${REL}/styles`, "styles.xml"], [`${REL}/numbering`, "numbering.xml"]));
  const style = (id: string, name: string) =>
    `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/></w:style>`;
  zip.file(
    "word/styles.xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${style("Heading1", "heading 1")}${style("Heading2", "heading 2")}</w:styles>`,
  );
  // Word's automatic numbering: level 0 "1.", level 1 "a)" (the numbers are not in the text).
  const level = (ilvl: number, fmt: string, text: string) =>
    `<w:lvl w:ilvl="${ilvl}"><w:start w:val="1"/><w:numFmt w:val="${fmt}"/><w:lvlText w:val="${text}"/></w:lvl>`;
  zip.file(
    "word/numbering.xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0">${level(0, "decimal", "%1.")}${level(1, "lowerLetter", "%2)")}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`,
  );
  const body = paragraphs
    .map((p) => {
      const numPr = p.list !== undefined ? `<w:numPr><w:ilvl w:val="${p.list}"/><w:numId w:val="1"/></w:numPr>` : "";
      const pPr = p.style || numPr ? `<w:pPr>${p.style ? `<w:pStyle w:val="${p.style}"/>` : ""}${numPr}</w:pPr>` : "";
      return `<w:p>${pPr}<w:r><w:t xml:space="preserve">${xmlEscape(p.text)}</w:t></w:r></w:p>`;
    })
    .join("");
  zip.file(
    "word/document.xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
  );
  return zip.generateAsync({ type: "nodebuffer" });
}
