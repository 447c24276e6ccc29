/**
 * The knowledge base's documents and their outlines as a study task needs them, read-only and
 * straight from the Document and Section tables (independent of the search code). A document is
 * named by its number ("294", "06-HD/TW") or words of its title ("điều lệ đảng"), accents optional.
 *
 *   const [doc] = await findDocuments(prisma, "quy dinh 294");
 *   const outline = await documentOutline(prisma, doc.source);   // its top-level sections
 *   const view = await readSection(prisma, doc.source, outline[1].id);
 */
import type { PrismaClient, Section } from "@prisma/client";
import { fold } from "../text/vietnamese.js";

export interface StudyDocument {
  source: string;
  title: string;
  number: string | null;
  docType: string | null;
  issuedOn: string | null;
}

export type OutlineSection = Pick<Section, "id" | "path" | "kind" | "marker" | "title" | "alias" | "depth" | "ordinal">;

export interface SectionView {
  document: StudyDocument;
  section: OutlineSection & { text: string };
  /** Its direct sub-units, in order. */
  children: OutlineSection[];
  /** The next unit in reading order (any depth), if any. */
  next: OutlineSection | null;
}

const words = (text: string) => fold(text).split(/[^a-z0-9]+/).filter(Boolean);

/**
 * Documents whose number or type and title contain every word of `query`. Copies of one document
 * (the same title and number, e.g. a .txt and a .pdf) count once: the one with the most sections.
 * When several match and exactly one title starts with the query's words, that one is meant.
 */
export async function findDocuments(prisma: PrismaClient, query: string): Promise<StudyDocument[]> {
  const wanted = words(query);
  if (wanted.length === 0) return [];
  const docs = await prisma.document.findMany({
    select: { id: true, source: true, title: true, number: true, docType: true, issuedOn: true, _count: { select: { sections: true } } },
    orderBy: { id: "asc" },
  });
  const matches = docs.filter((d) => {
    const have = new Set(words(`${d.docType ?? ""} ${d.number ?? ""} ${d.title}`));
    return wanted.every((w) => have.has(w));
  });
  const best = new Map<string, (typeof matches)[number]>();
  for (const d of matches) {
    const key = `${fold(d.title)}|${fold(d.number ?? "")}`;
    const kept = best.get(key);
    if (!kept || d._count.sections > kept._count.sections) best.set(key, d);
  }
  let found = [...best.values()];
  // "Điều lệ Đảng" names the Charter, not the documents "thi hành Điều lệ Đảng": one whose title starts with the words wins.
  const leading = found.filter((d) => words(d.title).slice(0, wanted.length).join(" ") === wanted.join(" "));
  if (found.length > 1 && leading.length === 1) found = leading;
  return found.map(({ source, title, number, docType, issuedOn }) => ({ source, title, number, docType, issuedOn }));
}

/** The document stored under `source`, or null (removed since). */
export async function documentBySource(prisma: PrismaClient, source: string): Promise<StudyDocument | null> {
  return prisma.document.findUnique({ where: { source }, select: { source: true, title: true, number: true, docType: true, issuedOn: true } });
}

const outlineFields = { id: true, path: true, kind: true, marker: true, title: true, alias: true, depth: true, ordinal: true } as const;

/** The document's top-level units (and its opening part), in order. */
export async function documentOutline(prisma: PrismaClient, source: string): Promise<OutlineSection[]> {
  return prisma.section.findMany({
    where: { document: { source }, depth: { lte: 1 } },
    select: outlineFields,
    orderBy: { ordinal: "asc" },
  });
}

/** A section of the document stored under `source` with its sub-units and the next unit; null when it is not one of its sections. */
export async function readSection(prisma: PrismaClient, source: string, sectionId: number): Promise<SectionView | null> {
  const section = await prisma.section.findUnique({ where: { id: sectionId }, include: { document: true } });
  if (!section || section.document.source !== source) return null;
  const [children, next] = await Promise.all([
    prisma.section.findMany({
      where: { documentId: section.documentId, depth: section.depth + 1, path: { startsWith: `${section.path}/` } },
      select: outlineFields,
      orderBy: { ordinal: "asc" },
    }),
    prisma.section.findFirst({
      where: { documentId: section.documentId, ordinal: { gt: section.ordinal } },
      select: outlineFields,
      orderBy: { ordinal: "asc" },
    }),
  ]);
  const d = section.document;
  return {
    document: { source: d.source, title: d.title, number: d.number, docType: d.docType, issuedOn: d.issuedOn },
    section: { ...pick(section), text: section.text },
    children: section.kind === "intro" ? [] : children,
    next,
  };
}

function pick(s: Section): OutlineSection {
  return { id: s.id, path: s.path, kind: s.kind, marker: s.marker, title: s.title, alias: s.alias, depth: s.depth, ordinal: s.ordinal };
}

/** How a section is named in lists and buttons: "Chương I. Đảng viên", "Điều 5. Dự bị...", "Phần mở đầu". */
export function sectionLabel(s: Pick<Section, "kind" | "marker" | "title" | "alias">, intro: string): string {
  const name = s.title || s.alias || "";
  if (s.kind === "intro") return name ? `${intro}: ${name}` : intro;
  const marker = s.marker.startsWith("#") ? "" : s.marker.replace(/[.:]\s*$/, "");
  return [marker, name].filter(Boolean).join(". ") || intro;
}
