/**
 * Every Vietnamese string the conversation core and its adapters show to users, in one
 * place (features such as meetings keep their own).
 */

export const GREETING = [
  "Xin chào đồng chí! Tôi là **Sổ tay đảng viên điện tử**, trợ lý tự động (không phải người trực).",
  "",
  "Đồng chí cứ gõ câu hỏi về Điều lệ, quy định, hướng dẫn của Đảng, có dấu hay không dấu đều được. Tôi sẽ trích đoạn văn bản trả lời và ghi rõ nguồn để đồng chí đối chiếu.",
  "",
  "Hoặc bấm một câu hỏi mẫu dưới đây:",
].join("\n");

/** The greeting's example questions, as buttons (value "ex:<index>"). */
export const EXAMPLE_QUESTIONS = [
  "Đảng viên dự bị bao lâu thì được xét chính thức?",
  "Bao nhiêu tuổi thì được vào Đảng?",
  "Mất thẻ đảng viên thì phải làm gì?",
  "Chuyển sinh hoạt đảng khi chuyển công tác thế nào?",
  "Huy hiệu Đảng được trao vào những dịp nào?",
];

export const YOU_ARE_WELCOME = "Không có gì ạ. Đồng chí cần tra cứu thêm điều gì cứ gõ câu hỏi nhé.";

export const HELP_TITLE = "**Các lệnh của Sổ tay đảng viên:**";

export const HELP_CORE_LINES = [
  "/hoi <câu hỏi> — hỏi về Điều lệ, quy định, hướng dẫn (hoặc gõ thẳng câu hỏi)",
  "/trogiup — xem hướng dẫn này",
  "/start — lời chào và giới thiệu",
];

export const HELP_FOOTER =
  "Mẹo: hỏi ngắn gọn, nêu rõ vấn đề (ví dụ “thời hạn xét kết nạp lại”, “mức đóng đảng phí của đảng viên hưu trí”).";

export const ASK_EMPTY = "Đồng chí muốn hỏi gì? Gõ /hoi rồi câu hỏi, ví dụ: /hoi thủ tục chuyển sinh hoạt đảng";

export const NOT_ANSWERED = [
  "Chưa tìm thấy đoạn văn bản trả lời câu hỏi này trong sổ tay.",
  "",
  "Đồng chí thử:",
  "• diễn đạt lại ngắn gọn, dùng từ trong văn bản (ví dụ “kỷ luật khiển trách” thay vì “bị phạt”);",
  "• nêu rõ đối tượng hoặc thủ tục (ví dụ “đảng viên dự bị”, “chuyển sinh hoạt đảng”);",
  "• hỏi từng ý một.",
].join("\n");

/** Several sections fit the question and none stands out: the member picks. */
export const CHOOSE_SECTION = "Câu hỏi này liên quan đến nhiều mục. Đồng chí muốn hỏi về:";

/** After "not found": sections on nearby subjects, as buttons. */
export const RELATED_SECTIONS = "Sổ tay có các mục gần với câu hỏi, đồng chí có thể xem:";

export const SOURCE_LABEL = "Nguồn";

/** An answer quoting a newer rule mentions the older one it changed. */
export const AMENDED_RULE = (older: string) => `Trước đó, ${older} quy định`;
export const AMENDED_APPLIES = "Quy định mới hơn (trích ở trên) là quy định đang áp dụng.";
export const ALSO_RELEVANT = "Xem thêm";

export const UNKNOWN_COMMAND = (cmd: string) =>
  `Tôi chưa hiểu lệnh /${cmd}. Gõ /trogiup để xem các lệnh, hoặc gõ thẳng câu hỏi.`;

export const ONLY_TEXT =
  "Hiện tôi mới hiểu được tin nhắn chữ. Đồng chí vui lòng gõ câu hỏi bằng chữ nhé.";

export const BUSY = "Hệ thống đang bận, đồng chí vui lòng gửi lại sau ít phút.";

export const CHOICE_EXPIRED = "Lựa chọn này đã hết hiệu lực. Gõ /trogiup để xem các lệnh.";

export const RATE_LIMITED = (seconds: number) =>
  `Đồng chí hỏi nhanh quá, xin chờ khoảng ${seconds} giây rồi hỏi tiếp nhé. Cảm ơn đồng chí!`;

export const INTERNAL_ERROR = (correlationId: string) =>
  `Xin lỗi đồng chí, hệ thống vừa gặp lỗi khi xử lý tin nhắn. Đồng chí vui lòng thử lại sau ít phút. (Mã lỗi: ${correlationId})`;

export const TEXT_TOO_LONG = (max: number) =>
  `Câu hỏi dài quá (tối đa ${max} ký tự). Đồng chí vui lòng hỏi ngắn gọn hơn.`;

/** Feedback on an answer (buttons where the platform has them). */
export const FEEDBACK_UP = "👍 Đúng";
export const FEEDBACK_DOWN = "👎 Chưa đúng";
export const FEEDBACK_THANKS = "Cảm ơn đồng chí đã xác nhận.";
export const FEEDBACK_NOTED = "Cảm ơn đồng chí đã báo. Cán bộ phụ trách sẽ xem lại câu hỏi này để bổ sung sổ tay.";
/** Typed feedback (where there are no buttons): the whole message, accents folded, is one of these. */
export const FEEDBACK_WORDS = { up: ["dung", "dung roi", "dung a"], down: ["sai", "sai roi", "chua dung", "khong dung"] };
/** Where there are no buttons (Zalo), after an answer. */
export const ZALO_FEEDBACK_HINT = "Câu trả lời có đúng ý đồng chí không? Đồng chí trả lời “đúng” hoặc “sai”.";

/** Zalo has no buttons: the numbered list ends with this line. */
export const ZALO_REPLY_WITH_NUMBER = "Đồng chí trả lời bằng số thứ tự (ví dụ: 1).";
