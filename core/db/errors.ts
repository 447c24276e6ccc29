/** Recognises database errors callers handle on purpose. */

/** True for Prisma's "unique constraint failed" (P2002): a concurrent writer got there first. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2002";
}
