/**
 * Every Vietnamese sentence of study tasks (học tập, quán triệt) and their self-check, in one
 * place. `**bold**` is the only formatting (see OutgoingMessage).
 */
export interface TaskView {
  id: number;
  cell: string;
  title: string;
  /** "Điều lệ, 19/01/2011" or "" */
  details: string;
  due: string;
  note: string;
}

const docLine = (t: TaskView) => `Văn bản: **${t.title}**${t.details ? ` (${t.details})` : ""}`;

export const S = {
  introLabel: "Phần mở đầu",
  doneLabel: "✅ Đã học",
  outlineLabel: "📑 Mục lục",
  moreLabel: "➡️ Các mục tiếp",
  readOnLabel: "📖 Đọc tiếp",
  quizLabel: "📝 Làm bài tự kiểm tra",

  // /hoctap (officers)
  usage:
    "Cú pháp: **/hoctap <văn bản> | <hạn YYYY-MM-DD> | <ghi chú>**\nVí dụ: /hoctap Quy định 294 | 2026-12-20 | Học trước kỳ sinh hoạt tháng 12\n(văn bản: số hiệu hoặc vài chữ trong tên; hạn cũng có thể viết 20/12/2026)",
  missing: (parts: string[]) => `Thiếu ${parts.join(", ")}.`,
  noDocument: (q: string) => `Không tìm thấy văn bản “${q}” trong sổ tay. Hãy ghi số hiệu (ví dụ 294) hoặc vài chữ trong tên văn bản.`,
  manyDocuments: (q: string, list: string[]) =>
    `Có ${list.length} văn bản khớp với “${q}”:\n${list.map((t) => `• ${t}`).join("\n")}\nHãy ghi rõ hơn (số hiệu hoặc thêm chữ trong tên).`,
  badDue: (typed: string) => `Không hiểu hạn “${typed}”. Hãy viết **YYYY-MM-DD** (2026-12-20) hoặc **dd/mm/yyyy** (20/12/2026).`,
  invalidDue: (typed: string) => `Ngày “${typed}” không tồn tại.`,
  pastDue: (typed: string) => `Hạn ${typed} đã qua. Hạn hoàn thành phải từ hôm nay trở đi.`,
  created: (t: TaskView, linked: number, unlinked: number) =>
    `Đã giao đợt học tập **#${t.id}** cho ${t.cell}.\n${docLine(t)}\nHạn: **${t.due}**\nThông báo đang được gửi tới ${linked} đảng viên đã liên kết tài khoản` +
    (unlinked > 0 ? `; ${unlinked} đảng viên chưa liên kết sẽ không nhận được.` : ".") +
    `\nXem tiến độ: /tiendo ${t.id}`,

  // notices and reminders
  notice: (t: TaskView, outline: string[]) =>
    `📚 **HỌC TẬP, QUÁN TRIỆT** (#${t.id})\n${t.cell}\n${docLine(t)}\nHạn hoàn thành: **${t.due}**` +
    (t.note ? `\nGhi chú: ${t.note}` : "") +
    (outline.length ? `\n\n**Mục lục:**\n${outline.map((l) => `• ${l}`).join("\n")}` : "") +
    `\n\nBấm một mục để đọc (trên Zalo: trả lời số thứ tự). Học xong, nhắn **đã học** hoặc bấm ✅ Đã học.`,
  reminder: (t: TaskView, days: number) =>
    `⏰ **NHẮC HỌC TẬP** (#${t.id}): ${days > 0 ? `còn ${days} ngày` : "hôm nay là hạn cuối"} (hạn ${t.due}) để học “${t.title}”.\nHọc xong, nhắn **đã học** hoặc bấm ✅ Đã học.`,
  quizNotice: (t: TaskView, n: number) =>
    `📝 Đợt học tập #${t.id} (“${t.title}”) có **bài tự kiểm tra** ${n} câu trắc nghiệm. Bấm Làm bài tự kiểm tra hoặc nhắn /kiemtra ${t.id}.`,

  // reading
  outlineTitle: (t: TaskView, from: number, to: number, total: number) =>
    `📑 **${t.title}** — mục lục${total > to - from ? ` (mục ${from + 1}–${to} / ${total})` : ""}`,
  noOutline: "Văn bản này chưa có mục lục trong sổ tay; đồng chí đọc toàn văn theo tài liệu chi bộ phát.",
  documentGone: (title: string) => `Văn bản “${title}” không còn trong sổ tay (đã được gỡ hoặc thay thế). Đồng chí hỏi lại chi bộ.`,
  sectionTitle: (title: string, label: string) => `📖 **${title}**\n**${label}**`,
  sectionParts: "Các phần trong mục này (bấm để đọc):",
  sectionNotFound: "Không tìm thấy mục này của văn bản.",

  // confirmations
  confirmed: (t: TaskView, late: boolean) =>
    `Đã ghi nhận: đồng chí **đã học** “${t.title}” (đợt #${t.id})${late ? ", sau hạn" : ""}. Cảm ơn đồng chí!`,
  alreadyConfirmed: (t: TaskView, when: string) => `Đồng chí đã xác nhận học “${t.title}” (đợt #${t.id}) lúc ${when}.`,
  whichTask: "Đồng chí có nhiều đợt học tập chưa xác nhận. Xác nhận cho đợt nào?",
  noOpenTask: "Chi bộ của đồng chí hiện không có đợt học tập nào cần xác nhận.",
  taskNotFound: (id: number) => `Không tìm thấy đợt học tập #${id} của chi bộ đồng chí.`,
  myTasksTitle: "📚 **Các đợt học tập của chi bộ**",
  myTaskLine: (t: TaskView, done: boolean) => `• #${t.id} “${t.title}” — hạn ${t.due}: ${done ? "đã học" : "chưa xác nhận"}`,

  // /tiendo
  progressTitle: (t: TaskView, left: string) => `📊 **Tiến độ học tập #${t.id}** — ${t.title}\n${t.cell} · hạn ${t.due} (${left})`,
  daysLeft: (n: number) => (n > 0 ? `còn ${n} ngày` : n === 0 ? "hôm nay là hạn cuối" : `đã quá hạn ${-n} ngày`),
  progressDone: (n: number, total: number) => `✅ Đã học (${n}/${total})`,
  progressPending: (n: number) => `⏳ Chưa học (${n})`,
  progressQuiz: (done: number, total: number, questions: number) => `📝 Bài tự kiểm tra (${questions} câu): ${done}/${total} đảng viên đã làm xong`,
  lateMark: "sau hạn",
  scoreMark: (right: number, total: number) => `kiểm tra ${right}/${total}`,
  notLinked: "chưa liên kết",
  otherTasks: (ids: number[]) => `Các đợt khác: ${ids.map((i) => `/tiendo ${i}`).join(", ")}`,
  noTasks: "Chi bộ của đồng chí chưa có đợt học tập nào. Giao đợt mới: /hoctap <văn bản> | <hạn> | <ghi chú>",
  tiendoUsage: "Cú pháp: **/tiendo [mã đợt học tập]**",

  // self-check
  noQuiz: (id: number) => `Đợt học tập #${id} không có bài tự kiểm tra.`,
  noQuizAnywhere: "Hiện không có bài tự kiểm tra nào dành cho đồng chí.",
  question: (t: TaskView, ordinal: number, total: number, text: string, options: string[]) =>
    `📝 **Câu ${ordinal}/${total}** (đợt #${t.id})\n${text}\n${options.map((o, i) => `${"ABCD"[i]}. ${o}`).join("\n")}\n\nChọn đáp án (trên Zalo: trả lời số thứ tự, hoặc gõ chữ A, B, C, D).`,
  right: "✔️ Đúng.",
  wrong: (letter: string, option: string) => `✖️ Chưa đúng. Đáp án: **${letter}. ${option}**`,
  finished: (right: number, total: number) => `🏁 Đồng chí đã làm xong bài tự kiểm tra: **${right}/${total}** câu đúng. Kết quả đã gửi chi bộ.`,
  alreadyFinished: (right: number, total: number) => `Đồng chí đã làm bài tự kiểm tra này: **${right}/${total}** câu đúng (mỗi người làm một lần).`,
  alreadyAnswered: (ordinal: number) => `Câu ${ordinal} đồng chí đã trả lời rồi; mời làm câu tiếp theo.`,

  missingDocument: "văn bản",
  missingDue: "hạn",
  csv: { done: "Đã học", notDone: "Chưa học", yes: "Có", unfinished: " (chưa xong)" },

  // permissions
  notRegistered:
    "Đồng chí chưa liên kết tài khoản với danh sách đảng viên. Hãy nhắn **/dangky <mã>** với mã đăng ký do chi bộ cấp.",
  notOfficer: "Chỉ Bí thư, Phó Bí thư chi bộ (hoặc quản trị) mới thực hiện được lệnh này.",

  help: [
    "/hoctap — các đợt học tập, quán triệt của chi bộ; nhắn “đã học” khi học xong",
    "/kiemtra [mã] — làm bài tự kiểm tra của đợt học tập",
    "/hoctap <văn bản> | <hạn> | <ghi chú> — (Bí thư) giao đợt học tập",
    "/tiendo [mã] — (Bí thư) xem ai đã học, ai chưa",
  ],
};
