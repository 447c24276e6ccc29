/**
 * The handbook's gaps, for officers (`npm run admin -- questions`): what members asked that
 * found nothing, or whose answer they marked wrong, with similar questions grouped and counted,
 * most asked first. Grouping: the same syllables (folded, so accents do not matter) are one
 * question; then groups sharing most of their syllables (Jaccard ≥ 0.5) merge, so "đóng đảng phí
 * bao nhiêu" and "đảng phí đóng mức bao nhiêu" count together.
 *
 *   const groups = await gapsReport(prisma, { kind: "unanswered", since: new Date(Date.now() - 30 * 86400_000) });
 */
import type { PrismaClient } from "@prisma/client";

export type GapKind = "unanswered" | "disliked" | "all";

export interface GapGroup {
  /** The wording asked most often in the group. */
  question: string;
  /** How many times the group was asked (found nothing, or marked wrong). */
  count: number;
  unanswered: number;
  disliked: number;
  /** Other wordings, most frequent first. */
  variants: string[];
  lastAskedAt: Date;
  /** For "marked wrong": the section the answer quoted, so the officer sees what went wrong. */
  quoted?: string;
}

/** Groups sharing at least this share of their content words merge. */
const MERGE_JACCARD = 0.5;

export async function gapsReport(prisma: PrismaClient, options: { kind: GapKind; since: Date }): Promise<GapGroup[]> {
  const which =
    options.kind === "unanswered" ? [{ mode: "none" }] : options.kind === "disliked" ? [{ feedback: "down" }] : [{ mode: "none" }, { feedback: "down" }];
  const rows = await prisma.questionLog.findMany({
    where: { createdAt: { gte: options.since }, OR: which },
    select: { question: true, questionKey: true, mode: true, feedback: true, shown: true, createdAt: true },
    orderBy: { createdAt: "asc" },
  });
  // Exact groups first: one per set of syllables.
  const exact = new Map<string, { words: Set<string>; rows: typeof rows }>();
  for (const r of rows) {
    const key = [...new Set(r.questionKey.split(" ").filter(Boolean))].sort().join(" ");
    const group = exact.get(key) ?? { words: new Set(key.split(" ").filter(Boolean)), rows: [] };
    group.rows.push(r);
    exact.set(key, group);
  }
  // Then merge similar groups, the largest absorbing the others.
  const merged: { words: Set<string>; rows: typeof rows }[] = [];
  for (const g of [...exact.values()].sort((a, b) => b.rows.length - a.rows.length)) {
    const home = merged.find((m) => jaccard(m.words, g.words) >= MERGE_JACCARD);
    if (home) home.rows.push(...g.rows);
    else merged.push({ words: g.words, rows: [...g.rows] });
  }
  return merged
    .map(({ rows: rs }) => {
      const wordings = new Map<string, number>();
      for (const r of rs) wordings.set(r.question, (wordings.get(r.question) ?? 0) + 1);
      const ranked = [...wordings].sort((a, b) => b[1] - a[1]).map(([w]) => w);
      const disliked = rs.filter((r) => r.feedback === "down");
      const quoted = disliked.length ? (JSON.parse(disliked.at(-1)!.shown) as { citation: string }[])[0]?.citation : undefined;
      return {
        question: ranked[0]!,
        count: rs.length,
        unanswered: rs.filter((r) => r.mode === "none").length,
        disliked: disliked.length,
        variants: ranked.slice(1, 6),
        lastAskedAt: rs.reduce((d, r) => (r.createdAt > d ? r.createdAt : d), rs[0]!.createdAt),
        ...(quoted ? { quoted } : {}),
      };
    })
    .sort((a, b) => b.count - a.count || b.lastAskedAt.getTime() - a.lastAskedAt.getTime());
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size && !b.size) return 1;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}
