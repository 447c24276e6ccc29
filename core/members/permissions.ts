/**
 * Permission checks live in core so every adapter gets the same rules: only the
 * cell's bí thư / phó bí thư, or a quản trị, manages a cell's meetings; a quản trị
 * attached to a đảng bộ also manages the cells below it. Nobody reaches another cell.
 */
import type { PrismaClient } from "@prisma/client";
import { managesMeetings } from "./roles.js";
import { subtreeIds } from "./organizations.js";

/** True when `member` may schedule, change, cancel and read the roll of meetings of `organizationId`. */
export async function canManageOrganization(
  prisma: PrismaClient,
  member: { role: string; organizationId: number },
  organizationId: number,
): Promise<boolean> {
  if (!managesMeetings(member.role)) return false;
  if (member.organizationId === organizationId) return true;
  if (member.role !== "quan_tri") return false;
  return (await subtreeIds(prisma, member.organizationId)).includes(organizationId);
}
