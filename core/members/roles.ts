/**
 * Party roles and membership statuses: the stored codes, their Vietnamese labels,
 * and lenient parsing of what people type in spreadsheets ("Bí thư", "bi thu", "BT").
 */
import { collapseSpace, fold } from "../text/vietnamese.js";

export const ROLES = ["dang_vien", "bi_thu", "pho_bi_thu", "cap_uy_vien", "quan_tri"] as const;
export type Role = (typeof ROLES)[number];

export const STATUSES = ["chinh_thuc", "du_bi"] as const;
export type MemberStatus = (typeof STATUSES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  dang_vien: "Đảng viên",
  bi_thu: "Bí thư",
  pho_bi_thu: "Phó Bí thư",
  cap_uy_vien: "Cấp ủy viên",
  quan_tri: "Quản trị",
};

/** Folds a cell value to a lookup key: "Phó Bí thư" → "pho bi thu", "pho_bi_thu" → "pho bi thu". */
function lookupKey(text: string): string {
  return collapseSpace(fold(text).replace(/[_\-.]+/g, " "));
}

const ROLE_ALIASES: Record<string, Role> = {
  "dang vien": "dang_vien",
  dv: "dang_vien",
  "bi thu": "bi_thu",
  bt: "bi_thu",
  "bi thu chi bo": "bi_thu",
  "pho bi thu": "pho_bi_thu",
  pbt: "pho_bi_thu",
  "pho bi thu chi bo": "pho_bi_thu",
  "cap uy vien": "cap_uy_vien",
  "chi uy vien": "cap_uy_vien",
  "cap uy": "cap_uy_vien",
  "uy vien": "cap_uy_vien",
  "quan tri": "quan_tri",
  "quan tri vien": "quan_tri",
  admin: "quan_tri",
};

const STATUS_ALIASES: Record<string, MemberStatus> = {
  "chinh thuc": "chinh_thuc",
  "dang vien chinh thuc": "chinh_thuc",
  ct: "chinh_thuc",
  "du bi": "du_bi",
  "dang vien du bi": "du_bi",
  db: "du_bi",
};

/** Parses a role as typed, with or without accents; undefined when unknown. `parseRole("Bí thư") === "bi_thu"`. */
export function parseRole(text: string): Role | undefined {
  return ROLE_ALIASES[lookupKey(text)];
}

/** Parses a membership status ("Dự bị", "chinh thuc"); undefined when unknown. */
export function parseStatus(text: string): MemberStatus | undefined {
  return STATUS_ALIASES[lookupKey(text)];
}

/** Roles allowed to schedule, change and cancel meetings of their own cell. */
export function managesMeetings(role: string): boolean {
  return role === "bi_thu" || role === "pho_bi_thu" || role === "quan_tri";
}

/** Label for a stored role code (falls back to the code itself). */
export function roleLabel(role: string): string {
  return ROLE_LABELS[role as Role] ?? role;
}
