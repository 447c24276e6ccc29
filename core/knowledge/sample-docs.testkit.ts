/**
 * Small hand-written documents for knowledge-base tests (own wording, not corpus text).
 */
import { createHash } from "node:crypto";
import type { ChunkedPassage, ParsedDocument } from "./types.js";

/** A ParsedDocument whose sha256 follows its passages, so edited passages mean a new version. */
export function sampleDoc(source: string, title: string, passages: ChunkedPassage[], number?: string): ParsedDocument {
  const sha256 = createHash("sha256").update(JSON.stringify(passages)).digest("hex");
  return { source, path: `/samples/${source}`, sha256, format: "md", title, ...(number ? { number } : {}), passages };
}

export const RULES = sampleDoc(
  "quy-dinh-mau.md",
  "Quy định mẫu về đảng viên",
  [
    { heading: "Quy định mẫu › 1. Tuổi đời", text: "Người xin vào Đảng phải từ đủ mười tám tuổi trở lên, tính theo tháng, tại thời điểm chi bộ họp xét." },
    { heading: "Quy định mẫu › 2. Đảng phí", text: "Đảng viên đóng đảng phí hằng tháng cho chi bộ; chi ủy thu và nộp lên cấp trên theo quy định." },
    { heading: "Quy định mẫu › 3. Thẻ đảng viên", text: "Khi làm mất thẻ đảng viên, đảng viên báo ngay với chi ủy để được xem xét cấp lại thẻ." },
    { heading: "Quy định mẫu › 4. Chuyển sinh hoạt", text: "Đảng viên chuyển nơi cư trú lâu dài thì làm thủ tục chuyển sinh hoạt đảng chính thức đến chi bộ mới." },
  ],
  "01-QĐ/M",
);

export const BADGES = sampleDoc("huy-hieu-mau.md", "Hướng dẫn mẫu về Huy hiệu Đảng", [
  { heading: "Hướng dẫn mẫu › 1. Đợt trao", text: "Huy hiệu Đảng được trao vào các ngày lễ lớn trong năm, theo danh sách cấp ủy đề nghị." },
  { heading: "Hướng dẫn mẫu › 2. Hồ sơ", text: "Hồ sơ đề nghị tặng Huy hiệu gồm tờ khai của đảng viên và danh sách của chi bộ." },
]);
