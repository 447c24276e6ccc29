/**
 * The organisation tree (đảng bộ → chi bộ). Each node's `key` is the folded path of
 * names, so "Chi bộ Khu phố 3" and "chi bo khu pho 3" are the same cell on re-import.
 */
import type { Prisma, PrismaClient } from "@prisma/client";
import { collapseSpace, fold, nfc } from "../text/vietnamese.js";

type Db = PrismaClient | Prisma.TransactionClient;

/** Folded, space-collapsed form of a name, used in natural keys. */
export function nameKey(name: string): string {
  return collapseSpace(fold(name));
}

/**
 * Finds or creates the cell (chi bộ), under its đảng bộ when one is named.
 *
 *   const cell = await ensureCell(prisma, { chiBo: "Chi bộ 1", dangBo: "Đảng bộ phường X" });
 */
export async function ensureCell(db: Db, names: { chiBo: string; dangBo?: string }) {
  let parentId: number | null = null;
  let prefix = "";
  if (names.dangBo) {
    const name = collapseSpace(nfc(names.dangBo));
    const key = nameKey(name);
    const parent = await db.organization.upsert({
      where: { key },
      create: { key, name, kind: "dang_bo" },
      update: {},
    });
    parentId = parent.id;
    prefix = `${key}/`;
  }
  const name = collapseSpace(nfc(names.chiBo));
  const key = prefix + nameKey(name);
  return db.organization.upsert({
    where: { key },
    create: { key, name, kind: "chi_bo", parentId },
    update: {},
  });
}

/** Ids of an organisation and every organisation below it. */
export async function subtreeIds(db: Db, rootId: number): Promise<number[]> {
  const ids = [rootId];
  let frontier = [rootId];
  while (frontier.length > 0) {
    const children = await db.organization.findMany({ where: { parentId: { in: frontier } }, select: { id: true } });
    frontier = children.map((c) => c.id).filter((id) => !ids.includes(id));
    ids.push(...frontier);
  }
  return ids;
}
