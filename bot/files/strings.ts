/**
 * Every Vietnamese sentence of file hand-over: the link Zalo users get instead of a file, and the
 * download page behind it.
 */
export const F = {
  linkLine: (fileName: string, url: string, minutes: number) =>
    `📎 Tải tệp “${fileName}”: ${url}\n(Đường dẫn chỉ dùng được một lần và hết hạn sau ${minutes} phút.)`,
  noPublicUrl: (fileName: string) =>
    `📎 Tệp “${fileName}” đã được tạo nhưng máy chủ chưa có địa chỉ công khai (PUBLIC_URL) để gửi đường dẫn tải. Đồng chí nhờ quản trị viên xuất tệp bằng lệnh quản trị.`,
  pageTitle: "Tải tệp — Sổ tay đảng viên",
  pageIntro: (fileName: string, kb: number) => `Tệp: ${fileName} (${kb} KB)`,
  pageOnce: "Đường dẫn này chỉ tải được một lần. Bấm nút dưới đây để tải về.",
  pageButton: "Tải về",
  pageGone: "Đường dẫn đã được dùng hoặc đã hết hạn. Đồng chí vui lòng yêu cầu lại tệp trong cuộc trò chuyện với bot.",
};
