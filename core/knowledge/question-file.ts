/**
 * Reads a question file of data/questions (see its README): the document it is about,
 * then `<section> | <question>` and `<section> = <title>` lines. Every line that cannot be
 * read is returned as a problem with its line number, never dropped silently.
 *
 *   const file = parseQuestionFile(text, "qd294.txt");
 *   file.document;                 // "294-QĐ/TW"
 *   file.questions[0];             // { line: 4, section: "4.5.1", text: "tuổi đảng tính từ ngày nào", group: "" }
 */
import { collapseSpace, nfc } from "../text/vietnamese.js";
import { parseSectionRef } from "./section-path.js";

export interface QuestionLine {
  line: number;
  /** The section reference as written ("Điều 5, khoản 1"). */
  section: string;
  text: string;
  /** The writer group (`nhóm:` line), "" when none: lets a benchmark measure on questions the search did not learn from. */
  group: string;
}

export interface TitleLine {
  line: number;
  section: string;
  title: string;
}

export interface QuestionFile {
  file: string;
  /** What `tài liệu:` names: a number, "Điều lệ Đảng", or a title. Undefined when the line is missing. */
  document?: string;
  questions: QuestionLine[];
  titles: TitleLine[];
  problems: { line: number; message: string }[];
}

const DOCUMENT_LINE = /^(?:tài liệu|tai lieu|document)\s*:\s*(.+)$/iu;
const GROUP_LINE = /^(?:nhóm|nhom|group)\s*:\s*(.*)$/iu;

export function parseQuestionFile(text: string, file: string): QuestionFile {
  const out: QuestionFile = { file, questions: [], titles: [], problems: [] };
  let group = "";
  nfc(text)
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = i + 1;
      const s = raw.trim();
      if (!s || s.startsWith("#")) return;
      let m: RegExpExecArray | null;
      if ((m = DOCUMENT_LINE.exec(s))) {
        if (out.document !== undefined) out.problems.push({ line, message: `a second "tài liệu:" line; one file is about one document` });
        else out.document = collapseSpace(m[1]!);
        return;
      }
      if ((m = GROUP_LINE.exec(s))) {
        group = collapseSpace(m[1]!);
        return;
      }
      const bar = s.indexOf("|");
      const eq = s.indexOf("=");
      const isTitle = eq > 0 && (bar < 0 || eq < bar);
      const at = isTitle ? eq : bar;
      if (at <= 0) {
        out.problems.push({ line, message: `expected "<section> | <question>" or "<section> = <title>"` });
        return;
      }
      const section = collapseSpace(s.slice(0, at));
      const rest = collapseSpace(s.slice(at + 1));
      if (!parseSectionRef(section)) {
        out.problems.push({ line, message: `"${section}" is not a section reference (examples: "Điều 5, khoản 1", "4.5.1", "6.3.1 điểm b", "Phần thứ hai, A, I, 4.4.3")` });
        return;
      }
      if (!rest || (!isTitle && rest.includes("|"))) {
        out.problems.push({ line, message: isTitle ? "the title is empty" : rest ? `more than one "|" on the line` : "the question is empty" });
        return;
      }
      if (isTitle) out.titles.push({ line, section, title: rest });
      else out.questions.push({ line, section, text: rest, group });
    });
  if (out.document === undefined) out.problems.unshift({ line: 0, message: `no "tài liệu: <số hiệu or title>" line names the document` });
  return out;
}
