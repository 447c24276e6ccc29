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
Đảng là tổ chức của những người tự nguyện phấn đấu cho lý tưởng chung, hoạt động theo nguyên tắc tập trung dân chủ, gắn bó mật thiết với nhân dân và chịu sự giám sát của nhân dân trong mọi hoạt động của mình.
Chương I
ĐẢNG VIÊN
Điều 1.
1. Đảng viên là người tự nguyện gia nhập Đảng, thừa nhận mục đích và tôn chỉ của Đảng, hoạt động thường xuyên trong một chi bộ, đóng góp công sức vào công việc chung và giữ gìn tư cách của người đảng viên ở nơi làm việc cũng như nơi cư trú.
2. Công dân từ mười tám tuổi trở lên, có phẩm chất đạo đức tốt, được quần chúng nơi làm việc và nơi cư trú tín nhiệm, tự nguyện làm đơn thì được chi bộ xem xét để kết nạp vào Đảng theo thủ tục do Đảng quy định.
Điều 2.
1. Người được kết nạp phải trải qua thời kỳ dự bị mười hai tháng; trong thời gian này chi bộ phân công đảng viên chính thức giúp đỡ, theo dõi việc học tập, rèn luyện và thực hiện nhiệm vụ của người đảng viên dự bị.
2. Hết thời kỳ dự bị, chi bộ xét công nhận đảng viên chính thức cho từng người; nếu người đó không đủ tư cách đảng viên thì chi bộ đề nghị cấp có thẩm quyền xoá tên trong danh sách đảng viên dự bị.
Chương II
TỔ CHỨC CƠ SỞ
Điều 3.
1. Chi bộ được lập khi có từ ba đảng viên chính thức trở lên; nơi chưa đủ ba đảng viên chính thức thì cấp ủy cấp trên giới thiệu các đảng viên sinh hoạt ghép với một chi bộ gần nhất cho đến khi đủ điều kiện lập chi bộ riêng.
2. Chi uỷ họp thường lệ mỗi tháng một lần để chuẩn bị nội dung sinh hoạt chi bộ; khi có việc cần thiết thì họp bất thường theo yêu cầu của bí thư hoặc của quá nửa số chi uỷ viên.
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
1.1.1. Thời kỳ dự bị của đảng viên được tính từ ngày chi bộ tổ chức lễ kết nạp, không tính từ ngày cấp có thẩm quyền ký quyết định, và chi bộ ghi rõ ngày ấy vào sổ theo dõi đảng viên của chi bộ để làm căn cứ xét công nhận.
1.1.2. Đảng viên dự bị chuyển công tác sang đơn vị khác thì chi bộ nơi mới tiếp tục phân công người giúp đỡ và theo dõi; thời gian đã dự bị ở nơi cũ vẫn được tính vào thời kỳ dự bị của đảng viên đó.
1.2. Công nhận đảng viên chính thức
a) Chậm nhất trong thời hạn 30 ngày làm việc kể từ khi hết thời kỳ dự bị, chi bộ phải họp xét và ra nghị quyết đề nghị công nhận đảng viên chính thức, gửi lên cấp ủy cấp trên kèm theo bản tự kiểm điểm của đảng viên.
b) Trong thời hạn 30 ngày làm việc kể từ khi nhận được nghị quyết của chi bộ, cấp ủy có thẩm quyền phải xem xét và ra quyết định công nhận đảng viên chính thức hoặc trả lời bằng văn bản cho chi bộ.
2. Điều 3: Về thẻ đảng viên
2.1. Đảng viên bị mất thẻ phải báo ngay với chi ủy nơi mình sinh hoạt, làm bản tường trình nêu rõ hoàn cảnh làm mất để chi bộ xem xét, đề nghị cấp ủy cấp trên trực tiếp cấp lại thẻ.
2.2. Thẻ đảng viên bị hỏng, nhòe ảnh hoặc mờ chữ thì đảng viên báo chi ủy để lập danh sách đề nghị đổi thẻ mới, nộp lại thẻ cũ cho cấp ủy khi nhận thẻ mới.
`;
