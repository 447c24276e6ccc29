/**
 * What kind of answer a question asks for ("bao lâu" → a duration, "bao nhiêu" → a number,
 * "dịp nào" → a date, "cấp nào" → a party body), and whether a passage contains one.
 * A weak rerank feature: among passages on the same topic, the one holding the kind of
 * fact asked for is more likely the answer.
 *
 *   answerType("bao lau thi duoc ket nap lai") // "duration"
 *   hasAnswerOfType("duration", "Ít nhất là 36 tháng kể từ ...") // true
 */
import { fold } from "../text/vietnamese.js";

export type AnswerType = "percent" | "share" | "money" | "year" | "duration" | "quantity" | "date" | "body" | "person";

const QUESTION_PATTERNS: [AnswerType, RegExp][] = [
  // Who holds an office now: a handbook of rules names no office holders.
  // So is a question about a figure of history ("ai là Tổng Bí thư đầu tiên").
  ["person", /\b(hien nay|hien tai|bay gio|duong nhiem)\b.*\bla ai\b|\bla ai\b.*\b(hien nay|hien tai|bay gio)\b|\bai la (tong bi thu|chu tich nuoc|chu tich quoc hoi|thu tuong|nguoi sang lap)\b|\b(dau tien|sang lap)\b.*\bla ai\b/],
  // "Bao nhiêu phần trăm" wants a percentage; "tỷ lệ" is also answered by a fraction ("hai phần ba").
  ["percent", /\bphan tram\b|%/],
  ["share", /\bty le\b/],
  // "Thành lập năm nào", "sinh năm bao nhiêu": a year, written as one ("năm 1930").
  ["year", /\b(nam nao|sinh nam|vao nam bao nhieu|la nam bao nhieu)\b|\bnam bao nhieu\b(?! (tuoi|lan|nguoi|dang vien))/],
  // "How much" about pay is a sum of money too ("lương cơ sở là bao nhiêu?").
  ["money", /\b(bao nhieu tien|tien thuong|muc tien|so tien|bao nhieu dong|muc thuong)\b|\b(luong|phu cap|tro cap|thu nhap)\b.*\b(bao nhieu|may trieu)\b/],
  ["duration", /\b(bao lau|thoi han|may (thang|nam|ngay|tuan)|bao nhieu (thang|nam|ngay|tuan))\b/],
  ["date", /\b(khi nao|luc nao|ngay nao|dip nao|thang nao|nam nao|dot nao|bao gio)\b/],
  ["body", /\b(co quan nao|cap nao|ai (quyet dinh|ky|xet|duyet|lam)|do ai|thuoc ai|ai la nguoi)\b/],
  ["quantity", /\b(bao nhieu|may lan|may nguoi|ty le|phan tram|toi da|toi thieu)\b/],
];

// A number in figures or words ("hai mươi" is found by its "mươi").
const NUMBER = "\\d+|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi";
const ANSWER_PATTERNS: Record<AnswerType, RegExp> = {
  percent: /%|\bphan tram\b/,
  year: /\b(1[89]\d\d|20\d\d)\b/,
  share: /%|\bphan tram\b|\b(mot|hai|ba) phan (hai|ba|tu|nam)\b|\bmot nua\b/,
  money: /\b\d[\d.,]* ?(dong|trieu|nghin|ngan|vnd)\b|\b(trieu|nghin) dong\b|\bmuc luong co so\b/,
  duration: new RegExp(`\\b(${NUMBER}) (ngay|thang|nam|tuan)\\b|\\bmoi (thang|nam|quy)\\b`),
  quantity: /\b\d+\b|\b(mot|hai|ba|bon) (lan|phan)\b|\bphan (ba|tram)\b/,
  date: /\b\d{1,2}\/\d{1,2}\b|\bngay \d{1,2}\b|\bthang \d{1,2}\b|\b(truoc|sau|trong) \d+ ngay\b/,
  // Unused: a person's name is found in the raw text (capitals), see PERSON_NAME.
  person: /$^/,
  body: /\b(cap uy|ban thuong vu|chi bo|dang uy|ban to chuc|thanh uy|tinh uy|huyen uy|bi thu|uy ban kiem tra|bo chinh tri|ban bi thu)\b/,
};

/** The answer type a question asks for, if it is one of the recognised kinds. */
export function answerType(question: string): AnswerType | undefined {
  const q = fold(question);
  return QUESTION_PATTERNS.find(([, re]) => re.test(q))?.[0];
}

/** Item numbers ("1.1.", "a)") and references ("Điều 5", "khoản 2", "Quy định 294-QĐ/TW") are not facts. */
const NUMBERING = /(^|\n)\s*[-+•]?\s*(\d+(\.\d+)*\.?|[a-zđ]\)|\(\d+\))\s|\b(dieu|khoan|muc|diem|chuong|phan|so|quy dinh|huong dan|nghi quyet|ket luan|chi thi) \d+[\w./-]*/g;

const FULL_DATE = /\b\d{1,2}[/.-]\d{1,2}[/.-]\d{4}\b|\bngay \d{1,2},? thang \d{1,2},? nam \d{4}\b/g;

/** "đồng chí Nguyễn Văn A", "ông Trần B": a title followed by two capitalised syllables. */
const PERSON_NAME = /(^|[\s(,;:"“])(đồng chí|Đồng chí|ông|bà|Ông|Bà) \p{Lu}\p{Ll}* \p{Lu}/u;

/** Whether `text` holds an answer of that type (raw text: dates keep their slashes). */
export function hasAnswerOfType(type: AnswerType, text: string): boolean {
  if (type === "person") return PERSON_NAME.test(text);
  // The dates documents are signed or cited with ("ngày 08/8/2025") say nothing about a year asked for.
  if (type === "year") return ANSWER_PATTERNS.year.test(fold(text).replace(FULL_DATE, " "));
  return ANSWER_PATTERNS[type].test(withoutNumbering(text));
}

/** Folded texts with numbering blanked out, by text: the same passages are read for question after question. */
const unnumbered = new Map<string, string>();
const UNNUMBERED_KEPT = 10_000;

/** Folded text with item numbers and references blanked out. */
function withoutNumbering(text: string): string {
  let out = unnumbered.get(text);
  if (out === undefined) {
    if (unnumbered.size >= UNNUMBERED_KEPT) unnumbered.clear();
    out = fold(text).replace(NUMBERING, "$1 ");
    unnumbered.set(text, out);
  }
  return out;
}

/** A pattern built from a question's words, compiled once per distinct source. */
const patterns = new Map<string, RegExp>();
function pattern(source: string): RegExp {
  let re = patterns.get(source);
  if (!re) {
    if (patterns.size >= 1_000) patterns.clear();
    patterns.set(source, (re = new RegExp(source)));
  }
  return re;
}

const UNITS = "buoi|lan|ngay|thang|nam|tuan|tiet|phien|diem";
const ASKED_UNIT = new RegExp(`\\b(?:bao nhieu|may) (${UNITS})\\b`);

/** The unit a "how many <unit>" question counts ("mấy buổi" → "buoi"), if it names one. */
export function askedUnit(question: string): string | undefined {
  return ASKED_UNIT.exec(fold(question))?.[1];
}

/** Whether `text` states a count of that unit ("03 buổi", "hai lần", "mỗi tháng", "lần thứ 3"). */
export function hasCountOf(unit: string, text: string): boolean {
  return pattern(`\\b(${NUMBER}|moi|hang|nua) ${unit}\\b|\\b${unit} thu (\\d+|hai|ba|bon|nam)\\b`).test(withoutNumbering(text));
}

// "How many <thing>": the thing counted is the one or two syllables after the question word.
const COUNTED = /\b(?:bao nhieu|may) ((?!thi\b|la\b|de\b|va\b|duoc\b|co\b|khong\b)[a-z]+(?: (?!thi\b|la\b|de\b|va\b|duoc\b|co\b|khong\b|thanh\b|tro\b|tren\b|duoi\b|so\b)[a-z]+)?)/;
// A count written as figures, number words or a share ("hai phần ba", "một nửa").
const COUNT = `(?:${NUMBER}|tram|mot nua|(?:mot|hai) phan (?:hai|ba|tu|nam))`;
// People are counted by their role in the documents ("3 đảng viên", "7 cấp ủy viên").
const PEOPLE = "(?:nguoi|dang vien|thanh vien|uy vien|cap uy vien|dai bieu)";

/** The thing a "how many" question counts ("mấy cấp ủy viên" → "cap uy"), folded, if it names one. */
export function countedNoun(question: string): string | undefined {
  return COUNTED.exec(fold(question))?.[1];
}

/** Whether `text` states a count of `noun` ("có từ 3 đảng viên", "không quá 7 cấp ủy viên", "hai phần ba số đảng viên"). */
export function statesCountOf(noun: string, text: string): boolean {
  const first = noun.split(" ")[0]!;
  const target = first === "nguoi" ? PEOPLE : first;
  return pattern(`\\b${COUNT}(?: [a-z]+){0,2} ${target}\\b`).test(withoutNumbering(text));
}
