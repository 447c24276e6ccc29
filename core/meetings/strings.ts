/**
 * Every Vietnamese sentence the meetings feature says, in one place.
 * `**bold**` is the only formatting (see OutgoingMessage).
 */
export interface MeetingView {
  id: number;
  cell: string;
  when: string;
  location: string;
  agenda: string;
}

/** A channel's name as members know it. */
const channelLabel = (channel: string) => (channel === "zalo" ? "Zalo" : channel === "web" ? "trang web" : "Telegram");

const details = (m: MeetingView) =>
  `Thời gian: **${m.when}**\nĐịa điểm: ${m.location}\nNội dung: ${m.agenda}`;

const howToReply = (id: number) =>
  `Xác nhận tham dự: trả lời **1** (có mặt) hoặc **2 <lý do>** (vắng).\nNếu có nhiều cuộc họp, thêm mã: "1 #${id}".`;

export const T = {
  presentLabel: "✅ Có mặt",
  absentLabel: "❌ Vắng",

  // registration
  notRegistered:
    "Đồng chí chưa liên kết tài khoản với danh sách đảng viên. Hãy nhắn **/dangky <mã>** với mã đăng ký do chi bộ cấp (ví dụ: /dangky K7MQ2XHD).",
  registerUsage: "Cú pháp: **/dangky <mã>** — mã gồm 8 ký tự do Bí thư chi bộ cấp.",
  // One reply for a code that is unknown, used or expired: a guesser learns nothing about which codes exist.
  registerInvalid:
    "Mã đăng ký không dùng được: mã không đúng, đã được sử dụng hoặc đã hết hạn. Đồng chí kiểm tra lại mã (8 ký tự) hoặc xin mã mới từ chi bộ.",
  registerLockedAccount: (minutes: number) =>
    `Tài khoản này đã gửi sai mã đăng ký quá nhiều lần nên tạm thời chưa đăng ký được. Đồng chí thử lại sau khoảng ${minutes} phút, hoặc nhờ Bí thư chi bộ kiểm tra lại mã.`,
  registerLockedEveryone: (minutes: number) =>
    `Hệ thống đang tạm ngừng nhận đăng ký vì có quá nhiều mã sai được gửi tới. Đồng chí vui lòng thử lại sau khoảng ${minutes} phút.`,
  registerElsewhere: (channels: readonly string[]) =>
    channels.length === 0
      ? "Hệ thống chưa bật kênh Telegram hoặc Zalo nên chưa nhận đăng ký nhận thông báo họp. Đồng chí vẫn có thể hỏi đáp sổ tay tại đây."
      : `Thông báo sinh hoạt chi bộ được gửi qua ${channels.map(channelLabel).join(" hoặc ")}: đồng chí hãy nhắn /dangky <mã> cho bot trên đó. Trang web này chỉ dùng để hỏi đáp sổ tay.`,
  registerPrivately:
    "Hãy gửi /dangky trong tin nhắn riêng với bot (không gửi trong nhóm), để thông báo họp đến đúng đồng chí. Mã vừa gửi trong nhóm (nếu là mã thật) đã bị hủy vì người khác có thể đã thấy: đồng chí xin mã mới từ chi bộ.",
  upcomingHint: (n: number) => `Chi bộ có ${n} cuộc họp sắp tới: nhắn /lichhop để xem và xác nhận tham dự.`,
  registered: (name: string, cell: string) =>
    `Đã liên kết tài khoản với đồng chí **${name}** (${cell}). Từ nay đồng chí sẽ nhận thông báo sinh hoạt chi bộ tại đây.`,
  replacedAccounts: (n: number) => `${n} tài khoản liên kết trước đây của đồng chí đã được hủy liên kết theo mã đăng ký mới.`,

  // personal data asked for in a group
  sentPrivately: "🔒 Nội dung có thông tin cá nhân nên đã được gửi riêng cho đồng chí (tin nhắn riêng với bot).",
  noPrivateChat: (channel: string) =>
    `🔒 Nội dung này có thông tin cá nhân nên không gửi trong nhóm, nhưng đồng chí chưa liên kết tin nhắn riêng với bot trên ${channelLabel(channel)}. Hãy nhắn riêng cho bot (đăng ký bằng /dangky <mã> nếu cần) rồi gửi lại ở đó.`,

  // permissions
  notOfficer: "Chỉ Bí thư, Phó Bí thư chi bộ (hoặc quản trị) mới thực hiện được lệnh này.",
  meetingNotFound: (id: number) => `Không tìm thấy cuộc họp #${id} của chi bộ đồng chí.`,
  noUpcoming: "Chi bộ của đồng chí hiện không có cuộc họp nào sắp diễn ra.",
  noMeetings: "Chi bộ của đồng chí chưa có cuộc họp nào.",

  // /hop
  hopUsage:
    "Cú pháp: **/hop <thời gian> | <địa điểm> | <nội dung>**\nVí dụ: /hop 2026-12-04 19:30 | Hội trường khu phố | Sinh hoạt chi bộ định kỳ tháng 12\n(thời gian cũng có thể viết 04/12/2026 19:30)",
  hopMissing: (parts: string[]) => `Thiếu ${parts.join(", ")}.`,
  badTimeFormat: (typed: string) =>
    `Không hiểu thời gian "${typed}". Hãy viết theo dạng **YYYY-MM-DD HH:mm** (2026-12-04 19:30) hoặc **dd/mm/yyyy HH:mm** (04/12/2026 19:30).`,
  badDate: (typed: string) => `Ngày giờ "${typed}" không tồn tại (kiểm tra ngày, tháng và giờ).`,
  inPast: (when: string) => `Thời gian ${when} đã qua. Cuộc họp phải ở thời điểm sau hiện tại.`,
  scheduled: (m: MeetingView, linked: number, unlinked: number) =>
    `Đã lên lịch cuộc họp **#${m.id}** của ${m.cell}.\n${details(m)}\nThông báo đang được gửi tới ${linked} đảng viên đã liên kết tài khoản` +
    (unlinked > 0 ? `; ${unlinked} đảng viên chưa liên kết sẽ không nhận được (cấp mã đăng ký cho họ).` : "."),

  // /huyhop and /doihop
  huyUsage: "Cú pháp: **/huyhop [mã cuộc họp]** — bỏ trống để hủy cuộc họp sắp tới gần nhất.",
  alreadyCancelled: (id: number) => `Cuộc họp #${id} đã bị hủy trước đó.`,
  alreadyStarted: (id: number) => `Cuộc họp #${id} đã bắt đầu hoặc đã diễn ra, không thể thay đổi.`,
  cancelled: (m: MeetingView, n: number) => `Đã hủy cuộc họp **#${m.id}** (${m.when}). Đang báo cho ${n} đảng viên.`,
  doiUsage:
    "Cú pháp: **/doihop [mã] | <thời gian mới hoặc bỏ trống> | <địa điểm mới hoặc bỏ trống>**\nVí dụ: /doihop 12 | 2026-12-05 19:30 |   hoặc   /doihop | | Phòng họp UBND phường",
  doiNothing: "Chưa có gì để đổi: hãy ghi thời gian mới và/hoặc địa điểm mới.",
  changed: (m: MeetingView, timeChanged: boolean, n: number) =>
    `Đã cập nhật cuộc họp **#${m.id}**.\n${details(m)}\nĐang báo cho ${n} đảng viên.` +
    (timeChanged ? "\nDo đổi thời gian, các xác nhận trước đó không còn hiệu lực; đảng viên sẽ xác nhận lại." : ""),

  // broadcasts
  notice: (m: MeetingView) =>
    `📢 **THÔNG BÁO SINH HOẠT CHI BỘ** (#${m.id})\n${m.cell}\n${details(m)}\n\n${howToReply(m.id)}`,
  cancelNotice: (m: MeetingView) =>
    `🚫 **HỦY CUỘC HỌP #${m.id}**\n${m.cell}: cuộc họp lúc ${m.when} tại ${m.location} đã bị hủy.`,
  changeNotice: (m: MeetingView, timeChanged: boolean) =>
    `🔄 **THAY ĐỔI CUỘC HỌP #${m.id}**\n${m.cell}\n${details(m)}` +
    (timeChanged ? `\n\nThời gian đã thay đổi, đồng chí vui lòng xác nhận lại.\n${howToReply(m.id)}` : ""),
  reminder: (m: MeetingView, inWords: string) =>
    `⏰ **NHẮC LỊCH HỌP #${m.id}** (còn ${inWords})\n${m.cell}\n${details(m)}`,
  nudge: (m: MeetingView) =>
    `🔔 Đồng chí chưa xác nhận tham dự cuộc họp **#${m.id}** (${m.when}, ${m.location}).\n${howToReply(m.id)}`,

  // attendance
  recordedPresent: (id: number, when: string) => `Đã ghi nhận: đồng chí **có mặt** tại cuộc họp #${id} (${when}).`,
  recordedAbsent: (id: number, when: string, reason: string) =>
    `Đã ghi nhận: đồng chí **vắng** cuộc họp #${id} (${when}). Lý do: ${reason}.`,
  askReason: (id: number) =>
    `Đã ghi nhận đồng chí **vắng** cuộc họp #${id}. Đồng chí vui lòng nhắn lý do vắng (ví dụ: đi công tác).`,
  reasonSaved: (id: number, reason: string) => `Đã ghi lý do vắng cuộc họp #${id}: ${reason}.`,
  whichMeeting: (list: string) =>
    `Đồng chí có nhiều cuộc họp sắp tới. Xác nhận cho cuộc họp nào?\n${list}\n(Hoặc trả lời kèm mã, ví dụ "1 #12".)`,
  noSuchUpcoming: (id: number) => `Không có cuộc họp #${id} sắp tới trong chi bộ của đồng chí.`,
  tooLate: (id: number) => `Cuộc họp #${id} đã bắt đầu hoặc đã bị hủy, không thể thay đổi xác nhận.`,

  // /diemdanh
  rollTitle: (m: MeetingView, cancelled: boolean) =>
    `📋 **Điểm danh cuộc họp #${m.id}**${cancelled ? " (đã hủy)" : ""}\n${m.when} — ${m.location}`,
  rollPresent: (n: number) => `✅ Có mặt (${n})`,
  rollAbsent: (n: number) => `❌ Vắng (${n})`,
  rollPending: (n: number) => `⏳ Chưa trả lời (${n})`,
  rollTotal: (n: number) => `Tổng số: ${n} đảng viên`,
  noReason: "chưa nêu lý do",
  notLinked: "chưa liên kết",
  nudged: (n: number, id: number) => `Đã gửi nhắc tới ${n} đảng viên chưa trả lời cuộc họp #${id}.`,
  nobodyToNudge: (id: number) => `Mọi đảng viên đã liên kết đều đã trả lời cuộc họp #${id}.`,
  diemdanhUsage: "Cú pháp: **/diemdanh [mã cuộc họp]** xem điểm danh; **/diemdanh nhac [mã]** nhắc người chưa trả lời.",

  // /lichhop
  upcomingTitle: "🗓 **Cuộc họp sắp tới**",
  yourAnswer: (a: "present" | "absent" | null) => (a === "present" ? "đã báo có mặt" : a === "absent" ? "đã báo vắng" : "chưa xác nhận"),

  help: [
    "/dangky <mã> — liên kết tài khoản với danh sách đảng viên",
    "/lichhop — xem các cuộc họp sắp tới",
    "Trả lời thông báo họp: 1 (có mặt) hoặc 2 <lý do> (vắng)",
    "/hop <thời gian> | <địa điểm> | <nội dung> — (Bí thư) lên lịch họp",
    "/doihop [mã] | <thời gian> | <địa điểm> — (Bí thư) đổi thời gian/địa điểm",
    "/huyhop [mã] — (Bí thư) hủy cuộc họp",
    "/diemdanh [nhac] — (Bí thư) xem điểm danh, nhắc người chưa trả lời",
  ],
};

/** "1 ngày", "2 giờ", "1 ngày 2 giờ", "30 phút". */
export function durationInWords(minutes: number): string {
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = [d ? `${d} ngày` : "", h ? `${h} giờ` : "", m ? `${m} phút` : ""].filter(Boolean);
  return parts.join(" ") || "0 phút";
}
