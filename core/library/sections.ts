/**
 * A document's sections as the library reads them: finding the one a written reference names
 * (or saying what the document has instead: "Điều lệ Đảng có 48 điều"), and the text a member
 * reads when a section opens, cut into chat-sized parts.
 *
 * What opens: an article, a clause or a numbered item shows its whole text, sub-units included,
 * when that is at most FULL_TEXT_MAX characters; a Phần or Chương, or anything longer, shows its
 * own lines and its sub-units as buttons (a chapter of the Charter is read article by article).
 *
 *   const all = await sectionsOf(prisma, doc.id);
 *   const hit = locate(["khoản 2", "Điều 8"], all);        // { found: [row] } or { missing: … }
 *   const body = await sectionBody(prisma, hit.found[0], all);
 *   splitText(body.text, partSize(4096));
 */
import type { PrismaClient, Section } from "@prisma/client";
import { findSections, parseSectionRef, type SectionRef } from "../knowledge/section-path.js";
import { sectionLabel as outlineLabel } from "../study/documents.js";
import { L } from "./strings.js";

export type SectionRow = Pick<Section, "id" | "documentId" | "path" | "kind" | "marker" | "title" | "alias" | "depth" | "ordinal">;

const ROW = { id: true, documentId: true, path: true, kind: true, marker: true, title: true, alias: true, depth: true, ordinal: true } as const;

/** Longest text shown whole (sub-units included): about three Zalo messages. */
export const FULL_TEXT_MAX = 6000;
/** Units that group articles: they open as a list of what they hold. */
const GROUPING = new Set(["part", "chapter", "section"]);

/** Every section of a document, in reading order, without its text. */
export function sectionsOf(prisma: PrismaClient, documentId: number): Promise<SectionRow[]> {
  return prisma.section.findMany({ where: { documentId }, select: ROW, orderBy: { ordinal: "asc" } });
}

export function sectionById(prisma: PrismaClient, id: number): Promise<SectionRow | null> {
  return prisma.section.findUnique({ where: { id }, select: ROW });
}

const isUnder = (row: Pick<SectionRow, "path">, parent: Pick<SectionRow, "path">) => row.path.startsWith(`${parent.path}/`);
export const childrenOf = (section: SectionRow, all: readonly SectionRow[]) => all.filter((r) => r.depth === section.depth + 1 && isUnder(r, section));
export const ancestorsOf = (section: SectionRow, all: readonly SectionRow[]) => all.filter((r) => isUnder(section, r)).sort((a, b) => a.depth - b.depth);
const parentOf = (section: SectionRow, all: readonly SectionRow[]) => ancestorsOf(section, all).at(-1);

/** How a section is named in titles and buttons: "Điều 5. Dự bị…", "Khoản 1. Thời kỳ dự bị…", "3.5. Về kết nạp lại…", "Phần mở đầu". */
export function sectionName(section: SectionRow, all: readonly SectionRow[]): string {
  const own = section.title || section.alias || "";
  const bare = section.marker.replace(/[.):]+$/, "");
  // A numbered unit of an article is a khoản, a lettered one a điểm, and people say so.
  if (section.kind === "num" && parentOf(section, all)?.kind === "article") return [L.clauseName(bare), own].filter(Boolean).join(". ");
  if (section.kind === "point") return [L.pointName(bare), own].filter(Boolean).join(". ");
  return outlineLabel(section, L.introLabel);
}

// ---------------------------------------------------------------- finding a written reference

export type Located =
  | { found: SectionRow[] }
  /** `has` says what the document has instead ("Điều lệ Đảng có 48 điều (Điều 1–48)."); `hint` sections that may be meant. */
  | { missing: true; has: string; hint: SectionRow[] };

/** The reference's pieces as one SectionRef, top unit first; undefined when a piece cannot be read. */
function toRef(pieces: readonly string[]): SectionRef | undefined {
  const ref: SectionRef = [];
  for (const piece of pieces) {
    const r = parseSectionRef(piece);
    if (!r) return undefined;
    ref.push(...r);
  }
  return ref.length ? ref : undefined;
}

/** The sections `pieces` (top unit first) name in a document, or what it has instead. */
export async function locate(prisma: PrismaClient, pieces: readonly string[], all: readonly SectionRow[], documentLabel: string): Promise<Located> {
  const ref = toRef(pieces);
  const paths = all.map((r) => r.path);
  const byPath = new Map(all.map((r) => [r.path, r]));
  if (!ref) return { missing: true, has: "", hint: [] };
  const found = findSections(ref, paths);
  if (found.length) return { found: found.map((p) => byPath.get(p)!) };
  // The longest leading part that names one section is where the reference stops fitting.
  let scope: SectionRow | undefined;
  let j = 0;
  for (; j < ref.length - 1; j++) {
    const hits = findSections(ref.slice(0, j + 1), paths);
    if (hits.length !== 1) break;
    scope = byPath.get(hits[0]!);
  }
  const token = ref[j]![0]!;
  // "mục 3.9": the items under mục 3.
  const dotted = /^n(\d+(?:\.\d+)*)\.\d+$/.exec(token);
  if (dotted && !scope) {
    const up = findSections([[`n${dotted[1]}`]], paths);
    if (up.length === 1) scope = byPath.get(up[0]!);
  }
  const hint = token.startsWith("d") && !scope ? await articleHint(prisma, Number(token.slice(1)), all) : [];
  return { missing: true, has: describeUnits(token, scope, all, documentLabel), hint };
}

/** "Điều lệ Đảng có 48 điều (Điều 1–48)." / "Điều 8 (Điều lệ Đảng) có 3 khoản (khoản 1–3)." */
function describeUnits(token: string, scope: SectionRow | undefined, all: readonly SectionRow[], documentLabel: string): string {
  const within = scope ? all.filter((r) => isUnder(r, scope)) : all;
  const direct = scope ? childrenOf(scope, all) : all.filter((r) => r.depth === 1);
  const u = L.units;
  const [units, unit] = token.startsWith("ch")
    ? [within.filter((r) => r.kind === "chapter"), u.chapter]
    : token.startsWith("ph")
      ? [within.filter((r) => r.kind === "part"), u.part]
      : token.startsWith("d")
        ? [within.filter((r) => r.kind === "article"), u.article]
        : token.startsWith("p")
          ? [direct.filter((r) => r.kind === "point"), u.point]
          : [direct.filter((r) => r.kind === "num"), scope?.kind === "article" ? u.clause : u.item];
  const where = scope ? L.ofDocument(scopeName(scope), documentLabel) : documentLabel;
  // The number without the marker's word and punctuation: "Chương XII" → "XII", "Điều 48." → "48", "3.5." → "3.5", "b)" → "b".
  const numberOf = (r: SectionRow) => r.marker.replace(/[.):]+$/, "").split(/\s+/).at(-1)!;
  const range = units.length ? `${unit.word} ${numberOf(units[0]!)}${units.length > 1 ? `–${numberOf(units.at(-1)!)}` : ""}` : "";
  return L.hasUnits(where, units.length, unit.name, range);
}

/** A unit named briefly, as in a reference: "Điều 8", "mục 3", "Chương II". */
function scopeName(r: SectionRow): string {
  const marker = r.marker.replace(/[.):]+$/, "");
  if (r.kind === "num") return `${L.units.item.word} ${marker}`;
  if (r.kind === "point") return `${L.units.point.word} ${marker}`;
  return marker || r.title;
}

/**
 * A document numbered by mục whose items implement the Charter's articles (Quy định 294: "4. Điều 5: Về
 * thời hạn…"): the items about Điều `article`, named in the first line of their text before its colon.
 */
async function articleHint(prisma: PrismaClient, article: number, all: readonly SectionRow[]): Promise<SectionRow[]> {
  if (all.some((r) => r.kind === "article")) return [];
  const top = all.filter((r) => r.depth === 1 && r.kind === "num");
  const texts = await prisma.section.findMany({ where: { id: { in: top.map((r) => r.id) } }, select: { id: true, text: true } });
  const named = new Set(
    texts.filter((t) => {
      const heading = /^[^\n:]*:/u.exec(t.text)?.[0] ?? "";
      return [...heading.matchAll(/Điều\s+(\d+)/gu)].some((m) => Number(m[1]) === article);
    }).map((t) => t.id),
  );
  return top.filter((r) => named.has(r.id));
}

// ---------------------------------------------------------------- what a member reads

export interface SectionBody {
  /** The text to read: its subtree's, or its own lines when it opens as a list. */
  text: string;
  /** Sub-units offered as buttons (empty when the text holds them). */
  children: SectionRow[];
  /** The next section in reading order after everything shown. */
  next: SectionRow | undefined;
}

export async function sectionBody(prisma: PrismaClient, section: SectionRow, all: readonly SectionRow[]): Promise<SectionBody> {
  const subtree = all.filter((r) => r.id === section.id || isUnder(r, section));
  const texts = await prisma.section.findMany({ where: { id: { in: subtree.map((r) => r.id) } }, select: { id: true, text: true } });
  const byId = new Map(texts.map((t) => [t.id, t.text.trim()]));
  const whole = subtree.map((r) => byId.get(r.id) ?? "").filter(Boolean).join("\n");
  const children = childrenOf(section, all);
  const last = subtree.at(-1)!;
  const after = all.find((r) => r.ordinal > last.ordinal);
  if (children.length === 0 || (!GROUPING.has(section.kind) && whole.length <= FULL_TEXT_MAX)) return { text: whole, children: [], next: after };
  return { text: byId.get(section.id) ?? "", children, next: after };
}

/** The top-level section a section sits in (to open the outline page holding it). */
export function topLevelOf(section: SectionRow, all: readonly SectionRow[]): SectionRow {
  return ancestorsOf(section, all).find((r) => r.depth === 1) ?? section;
}

/** Units named above a section at most (a Hà Nội guide nests nine deep): the nearest ones, after "…". */
const TRAIL = 3;

/** The units above a section, top first, each name cut to `max` characters, so the title lines stay short. */
export function trailOf(section: SectionRow, all: readonly SectionRow[], max = 60): string[] {
  const names = ancestorsOf(section, all).map((r) => short(sectionName(r, all), max));
  return names.length > TRAIL ? ["…", ...names.slice(-TRAIL)] : names;
}

/** Button labels stay on one line. */
export const short = (label: string, max = 48) => (label.length > max ? `${label.slice(0, max - 1)}…` : label);
