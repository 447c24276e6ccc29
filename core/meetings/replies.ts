/**
 * The plain-text attendance grammar (Zalo, and typing on Telegram):
 *   present: "1", "có", "có mặt", "co mat", "tham dự"
 *   absent:  "2 <lý do>", "vắng <lý do>", "vắng, đi công tác", "xin vắng ...", "không tham dự ..."
 * An optional "#<id>" names the meeting ("1 #12", "vắng #12 ốm").
 * Text that looks like a question ("vắng mặt mấy lần thì bị xóa tên?") is NOT a reply:
 * it belongs to the handbook Q&A.
 */
import { collapseSpace, fold, nfc } from "../text/vietnamese.js";

export type AttendanceReply =
  | { response: "present"; meetingId?: number }
  | { response: "absent"; reason?: string; meetingId?: number };

const PRESENT = /^(?:1|co|co a|co mat|co mat a|tham du|se tham du|toi co mat|em co mat)$/;
const ABSENT = /^(?:2|vang mat|vang|xin vang mat|xin vang|xin phep vang mat|xin phep vang|khong tham du|khong du duoc|khong di duoc)(?=$|[\s,.:;!\-–—])/;
const QUESTION = /\?|\b(?:bao nhieu|the nao|nhu the nao|la gi|co phai|co duoc khong|tai sao|vi sao|ra sao|khi nao|o dau|bi xu ly|bi ky luat|quy dinh)\b/;

/**
 * Parses a reply; null when the text is not an attendance reply.
 *
 *   parseAttendanceReply("vắng, đi công tác") // { response: "absent", reason: "đi công tác" }
 */
export function parseAttendanceReply(text: string): AttendanceReply | null {
  let original = collapseSpace(nfc(text));
  let meetingId: number | undefined;
  const tag = /(?:^|\s)#(\d{1,9})(?=\s|$|[,.:;])/.exec(original);
  if (tag) {
    meetingId = Number(tag[1]);
    original = collapseSpace(original.slice(0, tag.index) + " " + original.slice(tag.index + tag[0].length));
  }
  const folded = fold(original);
  if (folded.length !== original.length) return null; // unusual characters: let the Q&A have it
  const bare = folded.replace(/[\s.!]+$/, "");
  if (PRESENT.test(bare)) return meetingId === undefined ? { response: "present" } : { response: "present", meetingId };
  const m = ABSENT.exec(folded);
  if (!m) return null;
  const reason = original.slice(m[0].length).replace(/^[\s,.:;!\-–—]+/, "").trim();
  if (QUESTION.test(fold(reason))) return null;
  const reply: AttendanceReply = { response: "absent" };
  if (reason) reply.reason = reason;
  if (meetingId !== undefined) reply.meetingId = meetingId;
  return reply;
}
