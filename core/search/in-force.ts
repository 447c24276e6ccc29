/**
 * Documents in force before replaced ones (issue 11 §2). A replaced document stays searchable for
 * history, but an answer quotes the document in force: after ranking, and before the best passage
 * per section and the decision are taken, every passage of a replaced document moves after every
 * passage of a document in force, each group keeping its own order. The decision then reads the
 * best passages in force; a replaced one is shown only when no document in force has a candidate.
 * The replaced documents come from core/knowledge/replacements.ts.
 *
 *   ranked = inForceFirst(ranked, (id) => rows.get(id)!.documentId, replaced);
 */

/** `ranked` with the passages of `replaced` documents after all others (stable); the same array when none is replaced. */
export function inForceFirst<T extends { id: number }>(ranked: T[], documentOf: (passageId: number) => number, replaced: ReadonlySet<number>): T[] {
  if (replaced.size === 0) return ranked;
  const inForce: T[] = [];
  const old: T[] = [];
  for (const c of ranked) (replaced.has(documentOf(c.id)) ? old : inForce).push(c);
  return old.length === 0 ? ranked : [...inForce, ...old];
}
