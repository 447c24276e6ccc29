/**
 * Documents for the library's tests, in our own words (the corpus files are read-only and not
 * copied): a charter with a long article (parts and "Xem tiếp"), a regulation that declares in its
 * header what it replaces, the older regulation it replaces, and two handbooks in Markdown where
 * the newer one declares `thay_the:` in its front matter.
 */
import { CHARTER_LIKE, REGULATION_LIKE } from "../../ingest/fixture-documents.js";

const TOPICS = [
  "học tập nghị quyết của cấp ủy cấp trên và liên hệ với nhiệm vụ của cơ quan",
  "kiểm điểm việc thực hiện nhiệm vụ được giao của từng đảng viên trong tháng",
  "bàn biện pháp nâng cao chất lượng sinh hoạt chi bộ và giữ gìn đoàn kết nội bộ",
  "phân công đảng viên giúp đỡ quần chúng ưu tú phấn đấu vào Đảng",
  "theo dõi việc đóng đảng phí và ghi chép sổ sách của chi bộ",
  "đánh giá việc giữ mối liên hệ với cấp ủy nơi cư trú của đảng viên",
  "chuẩn bị nội dung, tài liệu cho kỳ sinh hoạt chuyên đề của quý",
  "tổng hợp ý kiến, kiến nghị của đảng viên gửi lên cấp ủy cấp trên",
];

/** Article 4 of the charter below: eight long clauses, about 4,600 characters in all. */
export const LONG_ARTICLE_CLAUSES = TOPICS.map(
  (topic, i) =>
    `${i + 1}. Chi bộ dành thời gian trong kỳ sinh hoạt thường lệ để ${topic}; bí thư chi bộ chuẩn bị trước nội dung, ` +
    `gửi tài liệu cho đảng viên ít nhất ba ngày trước kỳ họp, ghi biên bản đầy đủ ý kiến phát biểu và kết luận của chi bộ. ` +
    `Đảng viên vắng mặt phải báo cáo lý do với bí thư chi bộ trước kỳ họp và nghiên cứu lại tài liệu sau kỳ họp; ` +
    `chi ủy theo dõi việc thực hiện kết luận và báo cáo lại tại kỳ sinh hoạt kế tiếp (nội dung thứ ${i + 1} của Điều 4).`,
);

/** The charter-shaped fixture (Điều 1–3) and a Chương III holding a long Điều 4. */
export const CHARTER = `${CHARTER_LIKE.trimEnd()}
Chương III
SINH HOẠT CHI BỘ
Điều 4.
${LONG_ARTICLE_CLAUSES.join("\n")}
`;

/** The newer regulation: Quy định 999-QĐ/TW (01/02/2025), replacing one never ingested and the stored 998. */
export const NEW_REGULATION = REGULATION_LIKE.replace(
  "NGÀY BAN HÀNH: 01/02/2025",
  "NGÀY BAN HÀNH: 01/02/2025\nTHAY THẾ: Quy định số 24-QĐ/TW ngày 30/7/2021; Quy định số 998-QĐ/TW",
);

/** The older regulation 998-QĐ/TW: the same subject, an older rule. */
export const OLD_REGULATION = `=== THÔNG TIN VĂN BẢN ===
TIÊU ĐỀ: Quy định mẫu về sinh hoạt đảng (bản cũ)
SỐ HIỆU: 998-QĐ/TW
LOẠI VĂN BẢN: Quy định
CƠ QUAN BAN HÀNH: Ban mẫu
NGÀY BAN HÀNH: 15/03/2019
=== HẾT THÔNG TIN VĂN BẢN ===
QUY ĐỊNH
VỀ SINH HOẠT ĐẢNG MẪU
1. Về thời kỳ dự bị
1.1. Thời kỳ dự bị của đảng viên được tính từ ngày cấp có thẩm quyền ký quyết định kết nạp, và chi ủy lưu quyết định ấy trong hồ sơ đảng viên.
1.2. Đảng viên dự bị được chi bộ phân công một đảng viên chính thức giúp đỡ trong suốt thời kỳ dự bị.
`;

/** An older handbook page on party dues, replaced by the newer one below. */
export const OLD_DUES = `---
loai: Sổ tay
co_quan: Nhóm thử nghiệm
ngay: 01/01/2020
---
# Sổ tay mẫu về đảng phí (bản 2020)

## Đóng đảng phí
Đảng viên đóng đảng phí mỗi quý một lần tại chi bộ, theo mức cũ bằng một phần trăm tiền lương, và chi ủy ghi vào sổ thu đảng phí theo quý.
`;

/** The newer handbook page: its front matter lists what it replaces (a YAML list). */
export const NEW_DUES = `---
loai: Sổ tay
co_quan: Nhóm thử nghiệm
ngay: 01/06/2026
thay_the:
  - so-tay-dang-phi-2020.md
---
# Sổ tay mẫu về đảng phí (bản 2026)

## Đóng đảng phí
Đảng viên đóng đảng phí hằng tháng cho chi bộ theo mức do cấp trên quy định; chi ủy thu, ghi sổ và nộp lên cấp ủy cấp trên trực tiếp.
`;

export const LIBRARY_FILES: Record<string, string> = {
  "dieu-le-mau.txt": CHARTER,
  "qd999-moi.txt": NEW_REGULATION,
  "qd998-cu.txt": OLD_REGULATION,
  "so-tay-dang-phi-2020.md": OLD_DUES,
  "so-tay-dang-phi-2026.md": NEW_DUES,
};
