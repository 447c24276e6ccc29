/**
 * Every Vietnamese sentence of the document library (/tailieu, exact references, "Xem tiếp",
 * documents replaced by others), in one place. `**bold**` is the only formatting (see OutgoingMessage).
 */

/** A document as the library's messages name it. */
export interface DocView {
  /** "Quy định 294-QĐ/TW", "Điều lệ Đảng", or the title. */
  label: string;
  title: string;
  number: string | null;
  issuedOn: string | null;
}

/** A replaced document's replacement, as messages tell it. */
export interface ReplacedView {
  /** The replaced document as named ("Quy định 24-QĐ/TW", or the declaration as written). */
  old: string;
  /** The document that replaced it. */
  by: string;
  /** When that one was issued ("26/5/2025"), if known. */
  on: string | null;
  /** The document in force now, when the replacement was itself replaced. */
  now?: string;
}

const replacedBy = (r: ReplacedView) =>
  `đã được thay thế bởi **${r.by}**${r.on ? ` (ban hành ${r.on})` : ""}` + (r.now ? `; văn bản đang có hiệu lực hiện nay là **${r.now}**` : "");

/** "Quy định 294-QĐ/TW — Quy định thi hành Điều lệ Đảng", or just the title when the label is the title. */
const named = (d: DocView) => (d.label === d.title ? `**${d.title}**` : `**${d.label}** — ${d.title}`);

export const L = {
  introLabel: "Phần mở đầu",
  outlineLabel: "📑 Mục lục",
  moreLabel: "➡️ Các mục tiếp",
  moreDocumentsLabel: "➡️ Các văn bản tiếp",
  readOn: (part: number, total: number) => `➡️ Xem tiếp (phần ${part}/${total})`,
  nextSection: (label: string) => `📖 Đọc tiếp: ${label}`,
  upLabel: (label: string) => `⬆️ ${label}`,

  // /tailieu
  listTitle: (count: number) => `📚 **Văn bản trong sổ tay** (${count})`,
  listPage: (from: number, to: number, total: number) => `(văn bản ${from}–${to} / ${total})`,
  listLine: (n: number, d: DocView, status: string) => `${n}. ${named(d)}${d.issuedOn ? ` — ${d.issuedOn}` : ""}\n   ${status}`,
  inForce: "✅ đang có hiệu lực",
  replacedStatus: (r: ReplacedView) => `⛔ ${replacedBy(r)}`,
  listFooter: "Bấm một văn bản để xem mục lục (trên Zalo: trả lời số thứ tự), hoặc gõ **/tailieu <số hiệu hoặc tên>**, ví dụ /tailieu 294.",
  empty: "Sổ tay chưa có văn bản nào.",
  noDocument: (q: string) => `Không tìm thấy văn bản “${q}” trong sổ tay. Gõ **/tailieu** để xem danh sách văn bản.`,
  manyDocuments: (q: string) => `Có nhiều văn bản khớp với “${q}”. Đồng chí chọn một văn bản:`,

  // a document's outline
  outlineTitle: (d: DocView) => `📑 ${named(d)}${d.issuedOn ? `\nBan hành: ${d.issuedOn}` : ""}`,
  outlineCount: (n: number, from: number, to: number) => (n > to - from ? `Mục lục (mục ${from + 1}–${to} / ${n}), bấm để đọc:` : `Mục lục (${n} mục), bấm để đọc:`),
  noOutline: "Văn bản này không chia chương, điều, mục: sổ tay chỉ tra cứu được bằng câu hỏi.",
  replacedBanner: (r: ReplacedView) => `⚠️ Văn bản này ${replacedBy(r)}. Nội dung dưới đây chỉ để tham khảo.`,

  // a section
  sectionTitle: (doc: string, trail: string[], label: string) => `📖 **${doc}**\n${[...trail, `**${label}**`].join(" › ")}`,
  sectionContinued: (doc: string, label: string, part: number, total: number) => `📖 **${doc}** › **${label}** (phần ${part}/${total})`,
  childrenTitle: "Gồm các mục (bấm để đọc):",
  childrenPage: (label: string, from: number, to: number, total: number) => `📑 **${label}**: các mục ${from}–${to} / ${total}`,
  sectionGone: "Mục này không còn trong sổ tay (văn bản vừa được cập nhật). Gõ **/tailieu** để mở lại.",

  // exact references
  pickSection: (doc: string, ref: string) => `“${ref}” có ở nhiều chỗ trong ${doc}. Đồng chí muốn xem:`,
  /** "Không có Điều 60 trong Điều lệ Đảng. Điều lệ Đảng có 48 điều (Điều 1–48)." */
  missingSection: (ref: string, doc: string, has: string) => `Không có ${ref} trong ${doc}. ${has.charAt(0).toLocaleUpperCase("vi")}${has.slice(1)}`.trim(),
  hasUnits: (where: string, count: number, unit: string, range: string) => (count === 0 ? `${where} không chia thành ${unit}.` : `${where} có ${count} ${unit} (${range}).`),
  ofDocument: (section: string, doc: string) => `${section} của ${doc}`,
  /** A document numbered by mục asked for an article: the items implementing that article of the Charter follow as buttons. */
  articleHint: (ref: string, doc: string, article: number) =>
    `Không có ${ref} trong ${doc}: văn bản này chia theo mục, không theo điều. Mục thi hành Điều ${article} Điều lệ Đảng (bấm để đọc):`,
  notStored: (doc: string) => `Sổ tay chưa có ${doc}, nên không mở được mục đồng chí hỏi. Gõ **/tailieu** để xem các văn bản có trong sổ tay.`,
  replacedNotStored: (r: ReplacedView) => `**${r.old}** ${replacedBy(r)}, và không có trong sổ tay. Xem văn bản đang có hiệu lực: /tailieu ${r.now ?? r.by}`,
  /** Above the search's answer when the question names a replaced document. */
  replacedPreface: (r: ReplacedView) => `ℹ️ **${r.old}** ${replacedBy(r)}. Câu trả lời dưới đây trích văn bản đang có hiệu lực.`,
  /** Units counted in "has N units": what they are called, and the word before their numbers in a range. */
  units: {
    chapter: { name: "chương", word: "Chương" },
    part: { name: "phần", word: "Phần" },
    article: { name: "điều", word: "Điều" },
    clause: { name: "khoản", word: "khoản" },
    item: { name: "mục", word: "mục" },
    point: { name: "điểm", word: "điểm" },
  },
  /** A numbered unit of an article is a khoản; a lettered one a điểm. */
  clauseName: (n: string) => `Khoản ${n}`,
  pointName: (letter: string) => `Điểm ${letter}`,

  help: ["/tailieu [số hiệu hoặc tên] — danh sách văn bản, mục lục một văn bản; gõ “Điều 5 Điều lệ”, “mục 3.5 Quy định 294” để mở đúng mục đó"],
};
