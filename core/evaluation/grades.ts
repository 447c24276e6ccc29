/**
 * The four grades of the yearly evaluation and the two configurable rules on the cell's proposed
 * grades: the cap on "xuất sắc" relative to "hoàn thành tốt", and the highest grade for a member
 * disciplined that year. The defaults (20%, "hoàn thành nhiệm vụ") follow the team's reading of
 * Quy định 124-QĐ/TW; see the README for what must still be checked.
 */
import { collapseSpace, fold } from "../text/vietnamese.js";

export const GRADES = ["xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh"] as const;
export type Grade = (typeof GRADES)[number];

export const GRADE_LABELS: Record<Grade, string> = {
  xuat_sac: "Hoàn thành xuất sắc nhiệm vụ",
  tot: "Hoàn thành tốt nhiệm vụ",
  hoan_thanh: "Hoàn thành nhiệm vụ",
  khong_hoan_thanh: "Không hoàn thành nhiệm vụ",
};

/** Higher is better. */
const RANK: Record<Grade, number> = { xuat_sac: 4, tot: 3, hoan_thanh: 2, khong_hoan_thanh: 1 };

const ALIASES: Record<string, Grade> = {
  "xuat sac": "xuat_sac",
  "hoan thanh xuat sac": "xuat_sac",
  "hoan thanh xuat sac nhiem vu": "xuat_sac",
  xs: "xuat_sac",
  tot: "tot",
  "hoan thanh tot": "tot",
  "hoan thanh tot nhiem vu": "tot",
  htt: "tot",
  "hoan thanh": "hoan_thanh",
  "hoan thanh nhiem vu": "hoan_thanh",
  ht: "hoan_thanh",
  "khong hoan thanh": "khong_hoan_thanh",
  "khong hoan thanh nhiem vu": "khong_hoan_thanh",
  kht: "khong_hoan_thanh",
};

/** A grade as typed ("tốt", "Hoàn thành xuất sắc nhiệm vụ", "ht", or the code); undefined when unknown. */
export function parseGrade(text: string): Grade | undefined {
  const key = collapseSpace(fold(text).replace(/[_.\-"“”]+/g, " "));
  return (GRADES as readonly string[]).includes(text) ? (text as Grade) : ALIASES[key];
}

export const gradeLabel = (g: string | null | undefined): string => (g && g in GRADE_LABELS ? GRADE_LABELS[g as Grade] : "");

/** True when a member disciplined that year may not be given `grade` (above `maxForDisciplined`). */
export function barredByDiscipline(grade: Grade, maxForDisciplined: Grade): boolean {
  return RANK[grade] > RANK[maxForDisciplined];
}

export interface CapCheck {
  excellent: number;
  good: number;
  /** The most "xuất sắc" the cell's "tốt" count allows. */
  maxExcellent: number;
  ok: boolean;
}

/** "Xuất sắc" may be at most `capPercent`% of "hoàn thành tốt" (integers: never above the share). */
export function checkExcellentCap(grades: (string | null)[], capPercent: number): CapCheck {
  const excellent = grades.filter((g) => g === "xuat_sac").length;
  const good = grades.filter((g) => g === "tot").length;
  const maxExcellent = Math.floor((good * capPercent) / 100 + 1e-9);
  return { excellent, good, maxExcellent, ok: excellent <= maxExcellent };
}
