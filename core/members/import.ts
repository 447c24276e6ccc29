/**
 * Imports members from a CSV roster. Required columns: ho_ten, chi_bo, vai_tro
 * (an empty vai_tro means đảng viên); optional: dang_bo, trang_thai, dien_thoai,
 * email, ma_dang_vien. Headers may be written with accents ("Họ tên", "Chi bộ").
 * Each row is imported in its own transaction: a bad row is reported with its line
 * number and the others still go in. Re-importing updates members, never duplicates
 * (natural key: ma_dang_vien when present, else cell + folded full name).
 *
 *   const result = await importMembers(prisma, fs.readFileSync("roster.csv", "utf8"));
 */
import type { PrismaClient } from "@prisma/client";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { collapseSpace, fold, nfc } from "../text/vietnamese.js";
import { ensureCell, nameKey } from "./organizations.js";
import { parseRole, parseStatus, type MemberStatus, type Role } from "./roles.js";

export interface ImportRowError {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  message: string;
}

export interface ImportedMember {
  id: number;
  fullName: string;
  cell: string;
  role: Role;
  line: number;
  created: boolean;
}

export interface ImportResult {
  created: number;
  updated: number;
  members: ImportedMember[];
  errors: ImportRowError[];
}

interface MemberRow {
  fullName: string;
  chiBo: string;
  dangBo?: string;
  role: Role;
  status: MemberStatus;
  phone?: string;
  email?: string;
  code?: string;
}

/** Header "Họ tên" / "ho ten" / "HO_TEN" → "ho_ten". */
function headerKey(header: string): string {
  return fold(header).trim().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");
}

const email = z.string().email();

/** Validates one record; returns the row or a readable English reason for the operator. */
function readRow(record: Record<string, string | undefined>): MemberRow | string {
  const get = (k: string) => {
    const v = record[k];
    return v === undefined ? "" : collapseSpace(nfc(v));
  };
  const fullName = get("ho_ten");
  const chiBo = get("chi_bo");
  if (!fullName) return "ho_ten (full name) is empty";
  if (!chiBo) return "chi_bo (cell) is empty";
  const roleText = get("vai_tro");
  const role = roleText ? parseRole(roleText) : "dang_vien";
  if (!role) return `vai_tro "${roleText}" is not a known role (đảng viên, bí thư, phó bí thư, cấp ủy viên, quản trị)`;
  const statusText = get("trang_thai");
  const status = statusText ? parseStatus(statusText) : "chinh_thuc";
  if (!status) return `trang_thai "${statusText}" is not a known status (chính thức, dự bị)`;
  const phone = get("dien_thoai").replace(/[\s.\-()]/g, "");
  if (phone && !/^\+?\d{8,15}$/.test(phone)) return `dien_thoai "${get("dien_thoai")}" is not a phone number`;
  const mail = get("email").toLowerCase();
  if (mail && !email.safeParse(mail).success) return `email "${get("email")}" is not an e-mail address`;
  return {
    fullName,
    chiBo,
    dangBo: get("dang_bo") || undefined,
    role,
    status,
    phone: phone || undefined,
    email: mail || undefined,
    code: get("ma_dang_vien") || undefined,
  };
}

/** Parses and imports a CSV roster (UTF-8, with or without BOM). Never throws for bad rows. */
export async function importMembers(prisma: PrismaClient, csvText: string): Promise<ImportResult> {
  const result: ImportResult = { created: 0, updated: 0, members: [], errors: [] };
  const records: { record: Record<string, string>; line: number }[] = [];
  try {
    const parsed = parse(csvText, {
      bom: true,
      columns: (headers: string[]) => headers.map(headerKey),
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      info: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        if (err) result.errors.push({ line: Number((err as unknown as { lines?: number }).lines ?? 0), message: `unreadable CSV record: ${err.message}` });
        return undefined;
      },
    }) as { record: Record<string, string>; info: { lines: number } }[];
    for (const p of parsed) records.push({ record: p.record, line: p.info.lines });
  } catch (err) {
    result.errors.push({ line: 1, message: `cannot read the CSV: ${(err as Error).message}` });
    return result;
  }
  if (records.length > 0) {
    const first = records[0]!.record;
    const missing = ["ho_ten", "chi_bo"].filter((k) => !(k in first));
    if (missing.length > 0) {
      result.errors.push({ line: 1, message: `missing column(s): ${missing.join(", ")} (need ho_ten, chi_bo, vai_tro)` });
      return result;
    }
  }

  for (const { record, line } of records) {
    const row = readRow(record);
    if (typeof row === "string") {
      result.errors.push({ line, message: row });
      continue;
    }
    try {
      const imported = await prisma.$transaction(async (tx) => {
        const cell = await ensureCell(tx, { chiBo: row.chiBo, dangBo: row.dangBo });
        const key = row.code ? `code:${fold(row.code).replace(/\s+/g, "")}` : `name:${cell.key}|${nameKey(row.fullName)}`;
        const existing = await tx.member.findUnique({ where: { key }, select: { id: true } });
        const data = {
          fullName: row.fullName,
          organizationId: cell.id,
          role: row.role,
          status: row.status,
          phone: row.phone ?? null,
          email: row.email ?? null,
          active: true,
        };
        const member = existing
          ? await tx.member.update({ where: { id: existing.id }, data })
          : await tx.member.create({ data: { ...data, key } });
        return { id: member.id, fullName: member.fullName, cell: cell.name, role: row.role, line, created: !existing };
      });
      result.members.push(imported);
      if (imported.created) result.created++;
      else result.updated++;
    } catch (err) {
      result.errors.push({ line, message: `could not be saved: ${(err as Error).message}` });
    }
  }
  result.errors.sort((a, b) => a.line - b.line);
  return result;
}
