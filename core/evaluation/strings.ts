/**
 * Every Vietnamese sentence of the yearly evaluation (kiểm điểm, đánh giá, xếp loại), in one place.
 * `**bold**` is the only formatting.
 */
export interface RoundView {
  id: number;
  cell: string;
  year: number;
  due: string;
}

/** The form's three written parts, in order (step 4 is the self-grade). */
export const FORM_STEPS = [
  { field: "strengths", title: "Ưu điểm, kết quả đạt được", hint: "Về tư tưởng chính trị, đạo đức, lối sống; ý thức tổ chức kỷ luật; kết quả thực hiện nhiệm vụ được giao." },
  { field: "shortcomings", title: "Hạn chế, khuyết điểm", hint: "Những việc chưa làm được hoặc làm chưa tốt trong năm." },
  { field: "remedies", title: "Nguyên nhân và biện pháp khắc phục", hint: "Nguyên nhân của hạn chế, khuyết điểm; việc sẽ làm để khắc phục và thời gian." },
] as const;

export const E = {
  nextLabel: "➡️ Tiếp",
  backLabel: "⬅️ Quay lại",
  clearLabel: "🗑 Viết lại mục này",
  cancelLabel: "✖️ Thoát",
  submitLabel: "✅ Nộp",
  resubmitLabel: "✅ Nộp lại",
  editLabel: (n: number, title: string) => `✏️ Sửa ${n}. ${title}`,
  startLabel: "📝 Tự kiểm điểm",
  proposeLabel: "🏷 Xếp loại đảng viên",

  // the form
  step: (r: RoundView, n: number, title: string, hint: string, current: string) =>
    `📝 **Tự kiểm điểm năm ${r.year} — Bước ${n}/4: ${title}**\n${hint}\n\n` +
    (current ? `Nội dung hiện có (${current.length} ký tự):\n«${preview(current)}»\n\nNhắn thêm để viết tiếp, hoặc bấm Tiếp.` : "Đồng chí nhắn nội dung; có thể gửi nhiều tin nhắn, mỗi tin được ghép tiếp. Xong, bấm Tiếp.") +
    `\n(Muốn hỏi sổ tay trong lúc điền: /hoi <câu hỏi>.)`,
  appended: (total: number) => `Đã ghi (tổng ${total} ký tự). Nhắn tiếp nếu còn, hoặc bấm ➡️ Tiếp.`,
  tooLong: (max: number) => `Mục này đã quá ${max} ký tự; đồng chí viết gọn lại (bấm Viết lại mục này để viết lại từ đầu).`,
  emptyStep: "Mục này chưa có nội dung. Đồng chí nhắn nội dung trước khi bấm Tiếp.",
  cleared: "Đã xóa nội dung mục này. Đồng chí nhắn nội dung mới.",
  gradeStep: (r: RoundView, current: string) =>
    `📝 **Tự kiểm điểm năm ${r.year} — Bước 4/4: Tự nhận mức xếp loại**${current ? `\nĐang chọn: ${current}` : ""}\nĐồng chí chọn một mức:`,
  badGrade: "Đồng chí chọn một trong bốn mức bằng nút bấm (trên Zalo: trả lời số thứ tự).",
  review: (r: RoundView, parts: { title: string; text: string }[], grade: string, status: string) =>
    `📋 **Bản tự kiểm điểm năm ${r.year}** — ${status}\n\n` +
    parts.map((p, i) => `**${i + 1}. ${p.title}**\n${p.text || "(chưa có)"}`).join("\n\n") +
    `\n\n**4. Tự nhận mức xếp loại:** ${grade || "(chưa chọn)"}\n\nHạn nộp: ${r.due}.`,
  statusDraft: "chưa nộp",
  statusSubmitted: (when: string) => `đã nộp lúc ${when}`,
  incomplete: "Bản tự kiểm điểm còn thiếu mục; đồng chí hoàn thành đủ 4 bước rồi nộp.",
  submitted: (r: RoundView) => `✅ Đã nộp bản tự kiểm điểm năm ${r.year}. Đồng chí vẫn xem và sửa được đến hết ngày ${r.due}: nhắn /danhgia.`,
  editedAfterSubmit: "Lưu ý: bản đã nộp vừa được sửa, đồng chí cần bấm **Nộp lại** để chi bộ nhận bản mới.",
  leftForm: "Đã thoát biểu mẫu. Nội dung đã nhập vẫn được lưu; nhắn /danhgia để tiếp tục.",
  closedForMember: (r: RoundView) => `Đợt kiểm điểm năm ${r.year} đã hết hạn tự kiểm điểm (${r.due}) hoặc đã kết thúc.`,
  noRound: "Chi bộ của đồng chí hiện không có đợt kiểm điểm, đánh giá nào.",

  // notices and reminders
  notice: (r: RoundView) =>
    `📋 **KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI ĐẢNG VIÊN NĂM ${r.year}** (#${r.id})\n${r.cell}\n` +
    `Đồng chí làm bản tự kiểm điểm theo biểu mẫu 4 bước (ưu điểm; hạn chế, khuyết điểm; nguyên nhân và biện pháp khắc phục; tự nhận mức xếp loại) trước hết ngày **${r.due}**.\nBấm 📝 Tự kiểm điểm hoặc nhắn /danhgia.`,
  reminder: (r: RoundView, days: number) =>
    `⏰ **NHẮC TỰ KIỂM ĐIỂM NĂM ${r.year}**: ${days > 0 ? `còn ${days} ngày` : "hôm nay là hạn cuối"} (hạn ${r.due}). Đồng chí chưa nộp bản tự kiểm điểm; nhắn /danhgia để làm tiếp.`,

  // officers
  usage:
    "Cú pháp:\n• /danhgia — tự kiểm điểm\n• /danhgia mo <năm> | <hạn YYYY-MM-DD> — (Bí thư) mở đợt\n• /danhgia tonghop — ai đã nộp, mức đề xuất\n• /danhgia xeploai [số thứ tự | mức] — ghi mức chi bộ đề xuất\n• /danhgia kyluat <số thứ tự> [| bo] — đánh dấu bị kỷ luật trong năm\n• /danhgia xuat [số thứ tự] — bảng tổng hợp (CSV) hoặc bản kiểm điểm (DOCX)\n• /danhgia dong — kết thúc đợt",
  badYear: (t: string) => `Năm “${t}” không hợp lệ.`,
  badDue: (t: string) => `Không hiểu hạn “${t}”. Hãy viết **YYYY-MM-DD** hoặc **dd/mm/yyyy**.`,
  invalidDue: (t: string) => `Ngày “${t}” không tồn tại.`,
  pastDue: (t: string) => `Hạn ${t} đã qua.`,
  exists: (r: RoundView) => `Chi bộ đã có đợt kiểm điểm năm ${r.year} (#${r.id}). Xem: /danhgia tonghop`,
  opened: (r: RoundView, linked: number, unlinked: number) =>
    `Đã mở đợt kiểm điểm năm ${r.year} (#${r.id}) của ${r.cell}, hạn tự kiểm điểm ${r.due}.\nThông báo đang được gửi tới ${linked} đảng viên đã liên kết tài khoản` +
    (unlinked > 0 ? `; ${unlinked} đảng viên chưa liên kết sẽ không nhận được.` : "."),
  summaryTitle: (r: RoundView, closed: boolean) => `📊 **Kiểm điểm năm ${r.year}** (#${r.id}) — ${r.cell}${closed ? " (đã kết thúc)" : ` · hạn ${r.due}`}`,
  summaryLine: (n: number, name: string, submitted: boolean, self: string, proposed: string, disciplined: boolean) =>
    `${n}. ${name} — ${submitted ? `đã nộp${self ? ` (tự xếp: ${self})` : ""}` : "chưa nộp"} · đề xuất: ${proposed || "—"}${disciplined ? " · ⚠️ bị kỷ luật trong năm" : ""}`,
  summaryCounts: (submitted: number, total: number, proposed: number) => `Đã nộp ${submitted}/${total}; đã có mức đề xuất ${proposed}/${total}.`,
  capLine: (excellent: number, good: number, max: number, cap: number, ok: boolean) =>
    `${ok ? "✔️" : "⚠️"} Xuất sắc ${excellent}, Tốt ${good}: tối đa ${max} xuất sắc (${cap}% số hoàn thành tốt)${ok ? "." : " — VƯỢT TỶ LỆ."}`,
  pickMember: "Chọn đảng viên cần ghi mức xếp loại đề xuất:",
  pickGrade: (name: string) => `Mức chi bộ đề xuất cho đồng chí **${name}**:`,
  memberNotInList: (t: string) => `Không có đảng viên “${t}” trong danh sách; xem số thứ tự ở /danhgia tonghop.`,
  proposed: (name: string, grade: string) => `Đã ghi mức đề xuất cho đồng chí ${name}: **${grade}**.`,
  capWarning: (excellent: number, max: number, cap: number) =>
    `⚠️ Hiện có ${excellent} xuất sắc, vượt mức tối đa ${max} (${cap}% số hoàn thành tốt). Chưa kết thúc đợt được cho đến khi điều chỉnh.`,
  disciplineBar: (name: string, max: string) => `Không ghi được: đồng chí ${name} bị kỷ luật trong năm nên mức cao nhất là “${max}”.`,
  disciplineSet: (name: string, on: boolean) => (on ? `Đã đánh dấu đồng chí ${name} bị kỷ luật trong năm.` : `Đã bỏ đánh dấu kỷ luật của đồng chí ${name}.`),
  disciplineConflict: (name: string, grade: string) => `Lưu ý: mức đề xuất hiện tại của đồng chí ${name} (“${grade}”) cao hơn mức cho phép; hãy ghi lại mức đề xuất.`,
  roundClosed: (r: RoundView) => `Đợt kiểm điểm năm ${r.year} (#${r.id}) đã kết thúc; không thay đổi được nữa.`,
  cannotClose: (reasons: string[]) => `Chưa kết thúc được đợt:\n${reasons.map((r) => `• ${r}`).join("\n")}`,
  missingProposals: (names: string[]) => `chưa có mức đề xuất: ${names.join(", ")}`,
  capExceeded: (excellent: number, max: number) => `${excellent} xuất sắc, vượt mức tối đa ${max}`,
  disciplineViolations: (names: string[]) => `mức đề xuất vượt mức cho phép với đảng viên bị kỷ luật: ${names.join(", ")}`,
  closed: (r: RoundView, counts: string) => `Đã kết thúc đợt kiểm điểm năm ${r.year} (#${r.id}).\n${counts}\nXuất kết quả: /danhgia xuat`,
  gradeCounts: (parts: string[]) => `Kết quả đề xuất: ${parts.join("; ")}.`,
  exportCsv: (r: RoundView) => `Bảng tổng hợp kiểm điểm năm ${r.year} của ${r.cell} (mở bằng Excel).`,
  exportDocx: (name: string) => `Bản tự kiểm điểm của đồng chí ${name}.`,
  exportNotSubmitted: (name: string) => `Đồng chí ${name} chưa nộp bản tự kiểm điểm.`,

  gradeStepTitle: "Tự xếp loại",

  // the summary CSV and the self-assessment DOCX
  csv: { submitted: "Đã nộp", notSubmitted: "Chưa nộp", yes: "Có" },
  doc: {
    parentBlank: "Đảng bộ ....................",
    cell: (name: string) => `Chi bộ ${name.replace(/^chi bộ\s*/iu, "").trim() || name}`,
    title: (year: number) => ["BẢN KIỂM ĐIỂM CÁ NHÂN", `Năm ${year}`, "(Dùng cho đảng viên)"],
    name: "Họ và tên:",
    role: "Chức vụ Đảng:",
    cellLabel: "Chi bộ:",
    parts: ["I", "II", "III"],
    gradePart: "IV. TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG",
    signer: "NGƯỜI TỰ KIỂM ĐIỂM",
    cellPart: "NHẬN XÉT, ĐÁNH GIÁ CỦA CHI BỘ",
    proposed: "Chi bộ đề xuất mức xếp loại:",
    blank: ".......................................",
    cellSigner: "T/M CHI BỘ\nBÍ THƯ",
    fileTitle: (year: number, name: string) => `Bản kiểm điểm cá nhân năm ${year} — ${name}`,
  },

  notRegistered: "Đồng chí chưa liên kết tài khoản với danh sách đảng viên. Hãy nhắn **/dangky <mã>** với mã đăng ký do chi bộ cấp.",
  notOfficer: "Chỉ Bí thư, Phó Bí thư chi bộ (hoặc quản trị) mới thực hiện được lệnh này.",

  help: [
    "/danhgia — tự kiểm điểm cuối năm (biểu mẫu 4 bước)",
    "/danhgia mo <năm> | <hạn> — (Bí thư) mở đợt kiểm điểm; /danhgia tonghop, xeploai, kyluat, xuat, dong",
  ],
};

function preview(text: string): string {
  return text.length > 400 ? `${text.slice(0, 200)} … ${text.slice(-150)}` : text;
}
