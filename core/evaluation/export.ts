/**
 * A round for the higher committee: the summary table (CSV for Excel) and each member's
 * self-assessment as a DOCX in the usual form (header, title, the four parts, the member's
 * signature, then the cell's assessment and proposed grade with the secretary's signature).
 *
 *   const rows = await evaluationSummary(ctx, round);   evaluationCsv(rows);
 *   const file = await selfAssessmentDocx(ctx, round, memberId);
 */
import { DateTime } from "luxon";
import type { OutgoingFile } from "../conversation/types.js";
import { spreadsheetCsv, type SpreadsheetColumn } from "../export/spreadsheet-csv.js";
import { roleLabel } from "../members/roles.js";
import { fold } from "../text/vietnamese.js";
import {
  DOCX_MIME,
  bodyText,
  dateInWords,
  docxBytes,
  dottedLines,
  heading,
  item,
  paragraph,
  partyDocument,
  partyHeader,
  rule,
  signatures,
  title,
} from "../docx/party-document.js";
import { GRADES, gradeLabel } from "./grades.js";
import { roster, type EvaluationContext, type RoundWithCell } from "./service.js";
import { E, FORM_STEPS } from "./strings.js";

export interface EvaluationRow {
  stt: number;
  ho_ten: string;
  vai_tro: string;
  da_nop: string;
  thoi_diem_nop: string;
  tu_xep_loai: string;
  ky_luat_trong_nam: string;
  chi_bo_de_xuat: string;
}

const COLUMNS: SpreadsheetColumn<EvaluationRow>[] = [
  { key: "stt", kind: "number" },
  ...(["ho_ten", "vai_tro", "da_nop", "thoi_diem_nop", "tu_xep_loai", "ky_luat_trong_nam", "chi_bo_de_xuat"] as const).map((key) => ({ key, kind: "text" as const })),
];

export async function evaluationSummary(ctx: EvaluationContext, round: RoundWithCell): Promise<EvaluationRow[]> {
  return (await roster(ctx, round)).map(({ n, member, entry }) => ({
    stt: n,
    ho_ten: member.fullName,
    vai_tro: roleLabel(member.role),
    da_nop: entry?.submittedAt ? E.csv.submitted : E.csv.notSubmitted,
    thoi_diem_nop: entry?.submittedAt ? DateTime.fromJSDate(entry.submittedAt, { zone: ctx.config.TIMEZONE }).toFormat("dd/MM/yyyy HH:mm") : "",
    tu_xep_loai: entry?.submittedAt ? gradeLabel(entry.selfGrade) : "",
    ky_luat_trong_nam: entry?.disciplined ? E.csv.yes : "",
    chi_bo_de_xuat: gradeLabel(entry?.proposedGrade),
  }));
}

export function evaluationCsv(rows: EvaluationRow[]): string {
  // Times are already written out as text in the cell's zone: no date column needs one.
  return spreadsheetCsv(rows, COLUMNS, { timeZone: "UTC" });
}

/** "kiem-diem-2026-nguyen-van-a.docx" */
export function selfAssessmentFileName(year: number, fullName: string): string {
  return `kiem-diem-${year}-${fold(fullName).replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}.docx`;
}

/** The member's self-assessment as a DOCX; null when the member has no entry in the round. */
export async function selfAssessmentDocx(ctx: EvaluationContext, round: RoundWithCell, memberId: number): Promise<OutgoingFile | null> {
  const entry = await ctx.prisma.evaluationEntry.findUnique({ where: { roundId_memberId: { roundId: round.id, memberId } }, include: { member: true } });
  if (!entry) return null;
  const parent = round.organization.parentId ? await ctx.prisma.organization.findUnique({ where: { id: round.organization.parentId } }) : null;
  const day = DateTime.fromJSDate(entry.submittedAt ?? ctx.clock(), { zone: ctx.config.TIMEZONE });
  const check = (g: string) => (entry.selfGrade === g ? "☒" : "☐");
  const doc = partyDocument(
    [
      ...partyHeader({
        parent: parent ? parent.name : E.doc.parentBlank,
        cell: E.doc.cell(round.organization.name),
        placeAndDate: `.........., ${dateInWords(day)}`,
      }),
      ...title(E.doc.title(round.year)),
      paragraph(entry.member.fullName, E.doc.name),
      paragraph(roleLabel(entry.member.role), E.doc.role),
      paragraph(round.organization.name, E.doc.cellLabel),
      ...FORM_STEPS.flatMap((step, i) => [heading(`${E.doc.parts[i]}. ${step.title.toUpperCase()}`), ...bodyText(entry[step.field])]),
      heading(E.doc.gradePart),
      ...GRADES.map((g) => item(`${check(g)} ${gradeLabel(g)}`)),
      ...signatures([{ title: "", note: "" }, { title: E.doc.signer, name: entry.member.fullName }]),
      rule(),
      heading(E.doc.cellPart),
      ...dottedLines(4),
      paragraph(entry.proposedGrade ? gradeLabel(entry.proposedGrade) : E.doc.blank, E.doc.proposed),
      ...signatures([{ title: "", note: "" }, { title: E.doc.cellSigner }]),
    ],
    { title: E.doc.fileTitle(round.year, entry.member.fullName) },
  );
  return { fileName: selfAssessmentFileName(round.year, entry.member.fullName), mimeType: DOCX_MIME, content: await docxBytes(doc) };
}
