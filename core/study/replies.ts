/**
 * "Đã học" as members type it: "đã học", "da hoc", "em đã học xong rồi ạ", "đọc xong", "đã học #7".
 * A question ("đã học thì làm gì?") is not a confirmation, nor a bare "xong" (other features'
 * forms use plain words too).
 *
 *   parseStudyConfirmation("Đã học xong #7") // { taskId: 7 }
 */
import { collapseSpace, fold } from "../text/vietnamese.js";

const CONFIRM = /^(?:(?:toi|em|minh|chau) )?(?:da )?(?:hoc|doc|nghien cuu|quan triet)(?: xong)?(?: roi)?(?: a| nhe)?$/;

/** The confirmation, with the task it names if any; null when the text is something else. */
export function parseStudyConfirmation(text: string): { taskId?: number } | null {
  if (text.includes("?")) return null;
  let t = collapseSpace(fold(text)).replace(/[.!]+$/, "");
  let taskId: number | undefined;
  const tag = /(?:^|\s)#(\d{1,9})$/.exec(t);
  if (tag) {
    taskId = Number(tag[1]);
    t = t.slice(0, tag.index).trim();
  }
  // "học" or "đọc" alone is too vague: it takes "đã" or "xong".
  if (CONFIRM.test(t) && /\b(?:da|xong)\b/.test(t)) return taskId === undefined ? {} : { taskId };
  return null;
}
