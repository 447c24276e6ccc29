/**
 * The document library as a ConversationFeature (issue 11 §1-2), open to everyone:
 *   - /tailieu: the documents with number, date, in force or replaced; /tailieu <number or words of
 *     the title>: that document's outline, whose buttons (numbers on Zalo) open sections;
 *   - exact references in a question ("Điều 5 Điều lệ", "mục 3.5 Quy định 294"), typed or after
 *     /hoi, open that section with no search involved (onQuestion, before the search); one that
 *     does not exist says what the document has ("Điều lệ Đảng có 48 điều"), never the nearest text;
 *   - a long section comes in parts with "Xem tiếp" (typed "xem tiếp" reads on too), each part sized
 *     to the channel's message limit (`textLimits`, from the platforms' capabilities);
 *   - a question naming a replaced document gets a line saying what replaced it, and when, above
 *     the search's answer (which quotes the document in force: core/search/in-force.ts).
 * Choice values: "lib:l:<from>" the list, "lib:o:<document>:<from>" an outline page,
 * "lib:s:<section>:<part>" a section, "lib:c:<section>:<from>" more of a section's sub-units.
 *
 *   const feature = createLibraryFeature({ prisma: store.prisma, sqlite: store.sqlite, state, textLimits: new Map([["telegram", 4096]]) });
 */
import type { PrismaClient } from "@prisma/client";
import type Database from "better-sqlite3";
import { literal, splitText } from "../conversation/format.js";
import type { ConversationStateStore } from "../conversation/state-store.js";
import type { ChannelName, Choice, ConversationFeature, IncomingMessage, OutgoingMessage, QuestionOutcome } from "../conversation/types.js";
import { documentLabel, findMentions } from "../knowledge/document-names.js";
import { replacementOf, type DocumentKey, type Replacement } from "../knowledge/replacements.js";
import { findDocuments } from "../study/documents.js";
import { fold } from "../text/vietnamese.js";
import { catalogReader, docView, replacedView, type Catalog, type CatalogEntry, type Nameable } from "./catalog.js";
import { findReferences, mayHoldReference, topDown, type WrittenReference } from "./references.js";
import { childrenOf, locate, sectionBody, sectionById, sectionName, sectionsOf, short, topLevelOf, trailOf, type SectionRow } from "./sections.js";
import { L } from "./strings.js";

export interface LibraryFeatureOptions {
  prisma: PrismaClient;
  /** The same store's raw connection: the catalog is checked on every question, without Prisma's overhead. */
  sqlite: Database.Database;
  state: ConversationStateStore;
  /** Longest text of one message per channel (the platforms' capabilities.textLimit; null: no limit). */
  textLimits?: ReadonlyMap<ChannelName, number | null>;
}

/** For a channel whose limit is not given: the smallest limit of the platforms served (Zalo's 2,000), so a part always fits. */
const UNKNOWN_CHANNEL_LIMIT = 2000;
/** A channel without a limit (the web chat) still reads a long section in parts of a screen or two. */
const UNLIMITED_PART = 4096;
/** Room kept in each message for the section's title lines and its buttons (numbered lines on Zalo). */
const RESERVED = 600;
/** Documents, outline entries and sub-units offered per message. */
const PAGE = 10;
/** References opened from one message at most. */
const MAX_REFERENCES = 3;
/** Typed "xem tiếp" reads on from the last part shown within this time. */
const READ_ON_KEY = "library.readOn";
const READ_ON_TTL_SECONDS = 3600;
const READ_ON_WORDS = new Set(["xem tiep", "doc tiep", "tiep", "tiep theo", "xem tiep theo", "doc tiep theo", "tiep di", "xem tiep di"]);

const DOCUMENT_KEY = { id: true, source: true, title: true, number: true, docType: true, issuedOn: true } as const;

const say = (text: string, choices?: Choice[]): OutgoingMessage => (choices?.length ? { text, choices } : { text });

export function createLibraryFeature(options: LibraryFeatureOptions): ConversationFeature {
  const { prisma, state } = options;
  const catalog = catalogReader(options.sqlite);

  /** Characters of section text per message on this channel. */
  function partSize(channel: ChannelName): number {
    const limits = options.textLimits;
    const known = limits?.has(channel) ? limits.get(channel)! : (limits ? smallest(limits) : undefined) ?? UNKNOWN_CHANNEL_LIMIT;
    return Math.max(500, (known ?? UNLIMITED_PART) - RESERVED);
  }

  // ------------------------------------------------------------ the list and outlines

  async function list(from: number): Promise<OutgoingMessage[]> {
    const cat = catalog();
    const docs = cat.documents;
    if (docs.length === 0) return [say(L.empty)];
    const start = Math.max(0, Math.min(from, docs.length - 1));
    const page = docs.slice(start, start + PAGE);
    const lines = page.map((e, i) => L.listLine(start + i + 1, docView(e.doc), e.replaced ? L.replacedStatus(replacedView(cat, e.replaced)) : L.inForce));
    const paging = docs.length > PAGE ? ` ${L.listPage(start + 1, start + page.length, docs.length)}` : "";
    const choices: Choice[] = page.map((e) => ({ label: short(`${e.replaced ? "⛔ " : "📑 "}${documentLabel(e.doc)}`), value: `lib:o:${e.doc.id}:0` }));
    if (start + PAGE < docs.length) choices.push({ label: L.moreDocumentsLabel, value: `lib:l:${start + PAGE}` });
    return [say([`${L.listTitle(docs.length)}${paging}`, "", ...lines, "", L.listFooter].join("\n"), choices)];
  }

  async function outline(doc: DocumentKey, from: number): Promise<OutgoingMessage[]> {
    const all = await sectionsOf(prisma, doc.id);
    const top = all.filter((r) => r.depth <= 1);
    const cat = catalog();
    const replaced = replacementOf(cat.replacements, doc.id);
    const head = [L.outlineTitle(docView(doc)), ...(replaced ? [L.replacedBanner(replacedView(cat, replaced))] : [])];
    if (top.length === 0) return [say([...head, "", L.noOutline].join("\n"))];
    const start = Math.max(0, Math.min(from, top.length - 1));
    const end = Math.min(top.length, start + PAGE);
    const choices: Choice[] = top.slice(start, end).map((r) => ({ label: short(sectionName(r, all)), value: `lib:s:${r.id}:0` }));
    if (end < top.length) choices.push({ label: L.moreLabel, value: `lib:o:${doc.id}:${end}` });
    return [say([...head, "", L.outlineCount(top.length, start, end)].join("\n"), choices)];
  }

  // ------------------------------------------------------------ sections

  /** A section's part `part` (0-based), with "Xem tiếp" while parts remain; remembers where typed "xem tiếp" goes. */
  async function openSection(message: IncomingMessage, section: SectionRow, part: number): Promise<OutgoingMessage> {
    const doc = await prisma.document.findUnique({ where: { id: section.documentId }, select: DOCUMENT_KEY });
    if (!doc) return say(L.sectionGone);
    const cat = catalog();
    const all = await sectionsOf(prisma, doc.id);
    const body = await sectionBody(prisma, section, all);
    const parts = body.text ? splitText(literal(body.text), partSize(message.channel)) : [];
    const total = Math.max(1, parts.length);
    const p = Math.max(0, Math.min(part, total - 1));
    const label = documentLabel(doc);
    const name = short(sectionName(section, all), 80);
    const replaced = replacementOf(cat.replacements, doc.id);
    const head = p === 0 ? L.sectionTitle(label, trailOf(section, all), name) : L.sectionContinued(label, name, p + 1, total);
    const banner = p === 0 && replaced ? L.replacedBanner(replacedView(cat, replaced)) : "";
    const children = p === total - 1 && body.children.length ? [L.childrenTitle] : [];
    const text = [head, banner, parts[p] ?? "", ...children].filter(Boolean).join("\n\n");

    const choices: Choice[] = [];
    let readOn: string | undefined;
    if (p < total - 1) {
      readOn = `lib:s:${section.id}:${p + 1}`;
      choices.push({ label: L.readOn(p + 2, total), value: readOn });
    } else {
      choices.push(...childChoices(section, body.children, all, 0));
      if (body.next) {
        readOn = `lib:s:${body.next.id}:0`;
        choices.push({ label: short(L.nextSection(sectionName(body.next, all))), value: readOn });
      }
    }
    const top = topLevelOf(section, all);
    const topAt = all.filter((r) => r.depth <= 1).findIndex((r) => r.id === top.id);
    choices.push({ label: L.outlineLabel, value: `lib:o:${doc.id}:${Math.max(0, topAt - (topAt % PAGE))}` });
    if (readOn) await state.set(message.channel, message.chatId, READ_ON_KEY, readOn, READ_ON_TTL_SECONDS);
    else await state.delete(message.channel, message.chatId, READ_ON_KEY);
    return say(text, choices);
  }

  function childChoices(section: SectionRow, children: SectionRow[], all: SectionRow[], from: number): Choice[] {
    const page = children.slice(from, from + PAGE).map((c) => ({ label: short(sectionName(c, all)), value: `lib:s:${c.id}:0` }));
    if (from + PAGE < children.length) page.push({ label: L.moreLabel, value: `lib:c:${section.id}:${from + PAGE}` });
    return page;
  }

  /** More of a section's sub-units than one message offers. */
  async function moreChildren(section: SectionRow, from: number): Promise<OutgoingMessage[]> {
    const all = await sectionsOf(prisma, section.documentId);
    const children = childrenOf(section, all);
    const start = Math.max(0, Math.min(from, children.length - 1));
    const end = Math.min(children.length, start + PAGE);
    return [say(L.childrenPage(sectionName(section, all), start + 1, end, children.length), childChoices(section, children, all, start))];
  }

  // ------------------------------------------------------------ exact references

  async function openReferences(message: IncomingMessage, refs: WrittenReference<Nameable>[], cat: Catalog): Promise<OutgoingMessage[]> {
    const out: OutgoingMessage[] = [];
    for (const ref of refs.slice(0, MAX_REFERENCES)) out.push(await openReference(message, ref, cat));
    return out;
  }

  async function openReference(message: IncomingMessage, ref: WrittenReference<Nameable>, cat: Catalog): Promise<OutgoingMessage> {
    const stored = ref.documents.flatMap((d) => (d.kind === "stored" ? [d.entry] : []));
    if (stored.length === 0) return notHeld(ref.documents[0]!, cat);
    const pieces = topDown(ref.pieces);
    const tried = await Promise.all(
      stored.map(async (entry) => {
        const all = await sectionsOf(prisma, entry.doc.id);
        return { entry, all, located: await locate(prisma, pieces, all, documentLabel(entry.doc)) };
      }),
    );
    const hits = tried.filter((t) => "found" in t.located);
    if (hits.length === 0) {
      const { entry, located } = tried[0]!;
      if (!("missing" in located)) return say(L.sectionGone);
      const all = tried[0]!.all;
      const hint = located.hint.map((r) => ({ label: short(sectionName(r, all)), value: `lib:s:${r.id}:0` }));
      const article = /^\s*điều\s+(\d+)/iu.exec(pieces[0] ?? "")?.[1];
      if (hint.length && article) return say(L.articleHint(ref.written, documentLabel(entry.doc), Number(article)), hint);
      return say(L.missingSection(ref.written, documentLabel(entry.doc), located.has));
    }
    const found = hits.flatMap((t) => ("found" in t.located ? t.located.found.map((row) => ({ row, all: t.all, entry: t.entry })) : []));
    if (found.length === 1) return openSection(message, found[0]!.row, 0);
    const label = documentLabel(hits[0]!.entry.doc);
    const choices = found.slice(0, 8).map((f) => ({ label: short([...trailOf(f.row, f.all, 24), sectionName(f.row, f.all)].join(" › "), 60), value: `lib:s:${f.row.id}:0` }));
    return say(L.pickSection(label, ref.written), choices);
  }

  /** A named document the knowledge base does not hold: replaced (and by what), or simply absent. */
  function notHeld(named: Nameable, cat: Catalog): OutgoingMessage {
    if (named.kind === "declared") return say(L.replacedNotStored(replacedView(cat, named.replacement)));
    return say(L.notStored(named.kind === "stored" ? documentLabel(named.entry.doc) : named.title));
  }

  /** Replacements of the documents `text` names that are replaced (stored or not), one each. */
  function replacedNamed(text: string, cat: Catalog): Replacement[] {
    const out: Replacement[] = [];
    for (const m of findMentions(text, cat.names)) {
      const r = m.document.kind === "declared" ? m.document.replacement : m.document.kind === "stored" ? m.document.entry.replaced : undefined;
      if (r && !out.includes(r)) out.push(r);
    }
    return out;
  }

  /** A button pressed (or "xem tiếp" typed): see the choice values in the module comment. */
  async function choose(message: IncomingMessage, value: string): Promise<OutgoingMessage[] | null> {
    const v = /^lib:(l|o|s|c):(\d{1,9})(?::(\d{1,5}))?$/.exec(value);
    if (!v) return null;
    const id = Number(v[2]);
    const at = Number(v[3] ?? 0);
    if (v[1] === "l") return list(id);
    if (v[1] === "o") {
      const doc = await prisma.document.findUnique({ where: { id }, select: DOCUMENT_KEY });
      return doc ? outline(doc, at) : [say(L.sectionGone)];
    }
    const section = await sectionById(prisma, id);
    if (!section) return [say(L.sectionGone)];
    return v[1] === "s" ? [await openSection(message, section, at)] : moreChildren(section, at);
  }

  // ------------------------------------------------------------ /tailieu <query>

  async function find(message: IncomingMessage, query: string): Promise<OutgoingMessage[]> {
    const cat = catalog();
    const refs = findReferences(query, cat.names);
    if (refs.length) return openReferences(message, refs, cat);
    const entries = (await findDocuments(prisma, query)).map((d) => cat.documents.find((e) => e.doc.source === d.source)).filter((e): e is CatalogEntry => !!e);
    if (entries.length === 1) return outline(entries[0]!.doc, 0);
    if (entries.length > 1) return [say(L.manyDocuments(query), entries.slice(0, PAGE).map((e) => ({ label: short(documentLabel(e.doc)), value: `lib:o:${e.doc.id}:0` })))];
    const named = findMentions(query, cat.names).map((m) => m.document)[0];
    if (named && named.kind !== "stored") return [notHeld(named, cat)];
    return [say(L.noDocument(query.trim()))];
  }

  return {
    name: "library",
    helpLines: L.help,
    commands: {
      async tailieu(message, args) {
        return args.trim() ? find(message, args.trim()) : list(0);
      },
    },

    onChoice: (message) => choose(message, message.choice ?? ""),

    async onText(message) {
      if (message.kind !== "text" || !READ_ON_WORDS.has(fold(message.text).replace(/[^a-z ]/g, "").replace(/\s+/g, " ").trim())) return null;
      const value = await state.get<string>(message.channel, message.chatId, READ_ON_KEY);
      return value ? choose(message, value) : null;
    },

    async onQuestion(message, question): Promise<QuestionOutcome | null> {
      const cat = catalog();
      const refs = mayHoldReference(question) ? findReferences(question, cat.names) : [];
      if (refs.length) return { replies: await openReferences(message, refs, cat) };
      const replaced = cat.replacements.length ? replacedNamed(question, cat) : [];
      if (replaced.length === 0) return null;
      return { preface: replaced.map((r) => L.replacedPreface(replacedView(cat, r))).join("\n") };
    },
  };
}

function smallest(limits: ReadonlyMap<ChannelName, number | null>): number | undefined {
  const values = [...limits.values()].filter((v): v is number => v !== null);
  return values.length ? Math.min(...values) : undefined;
}
