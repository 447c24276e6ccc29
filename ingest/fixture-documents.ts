/**
 * Small documents in the shapes of the real ones, written for the tests (our own words,
 * not the party's texts), so that ingest and search are tested on a fresh clone too.
 * Test support only.
 */

/** A charter in the Party Charter's shape: opening part, "Chương", bare "Điều N." lines, numbered khoản, old-style "uỷ". */
export const CHARTER_LIKE = `=== THÔNG TIN VĂN BẢN ===
TIÊU ĐỀ: Điều lệ Đảng Cộng sản Việt Nam
SỐ HIỆU: (không có số hiệu)
LOẠI VĂN BẢN: Điều lệ
CƠ QUAN BAN HÀNH: Đại hội mẫu
NGÀY BAN HÀNH: 01/01/2011
=== HẾT THÔNG TIN VĂN BẢN ===
ĐIỀU LỆ
ĐẢNG MẪU
NHỮNG ĐIỀU CƠ BẢN
Đảng là tổ chức của những người tự nguyện phấn đấu cho lý tưởng chung, hoạt động theo nguyên tắc tập trung dân chủ.
Chương I
ĐẢNG VIÊN
Điều 1.
1. Đảng viên là người tự nguyện gia nhập Đảng và hoạt động trong một chi bộ.
2. Công dân từ mười tám tuổi trở lên được xét để kết nạp vào Đảng.
Điều 2.
1. Người được kết nạp phải trải qua thời kỳ dự bị mười hai tháng.
2. Hết thời kỳ dự bị, chi bộ xét công nhận chính thức; nếu không đủ tư cách thì xoá tên.
Chương II
TỔ CHỨC CƠ SỞ
Điều 3.
1. Chi bộ có từ ba đảng viên chính thức trở lên.
2. Chi uỷ họp thường lệ mỗi tháng một lần.
`;

/** A regulation in Quy định 294's shape: header block, numbered units 1. / 1.1. / 1.1.1., points a) b). */
export const REGULATION_LIKE = `=== THÔNG TIN VĂN BẢN ===
TIÊU ĐỀ: Quy định mẫu về sinh hoạt đảng
SỐ HIỆU: 999-QĐ/TW
LOẠI VĂN BẢN: Quy định
CƠ QUAN BAN HÀNH: Ban mẫu
NGÀY BAN HÀNH: 01/02/2025
=== HẾT THÔNG TIN VĂN BẢN ===
QUY ĐỊNH
VỀ SINH HOẠT ĐẢNG MẪU
1. Điều 2: Về thời kỳ dự bị
1.1. Tính thời kỳ dự bị
1.1.1. Thời kỳ dự bị tính từ ngày chi bộ tổ chức lễ kết nạp.
1.1.2. Đảng viên dự bị chuyển công tác thì chi bộ mới tiếp tục theo dõi.
1.2. Công nhận đảng viên chính thức
a) Chi bộ xét trong thời hạn 30 ngày làm việc kể từ khi hết dự bị.
b) Cấp ủy cấp trên quyết định trong thời hạn 30 ngày làm việc.
2. Điều 3: Về thẻ đảng viên
2.1. Đảng viên bị mất thẻ phải báo ngay với chi ủy để đề nghị cấp lại.
`;
