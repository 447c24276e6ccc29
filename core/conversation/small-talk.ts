/**
 * Greetings and thanks typed as a whole message ("chào bạn", "cam on nhe", "ok"). They are
 * not questions: searching them would quote whatever passage mentions "chào cờ".
 *
 *   smallTalk("Xin chào!")   // "greeting"
 *   smallTalk("cảm ơn ad")   // "thanks"
 *   smallTalk("chào cờ là gì") // undefined: a question
 */
import { fold } from "../text/vietnamese.js";

export type SmallTalk = "greeting" | "thanks";

// Whole-message patterns over folded text: one greeting or thanks word, then at most a few
// words of address ("ạ", "bạn", "ad", "bot", "nhé").
const ADDRESS = "(?: (?:a|ad|admin|ban|bot|anh|chi|em|dong chi|nhe|nha|nhieu|lam|a nhe|so tay|nhe ban|moi nguoi|ca nha))*";
const PATTERNS: [SmallTalk, RegExp][] = [
  ["greeting", new RegExp(`^(?:xin chao|chao|hello|hi|alo|a lo|hey)${ADDRESS}$`)],
  ["thanks", new RegExp(`^(?:cam on|cam an|thanks|thank you|thank|tks|thanks ban|ok cam on|ok|oke|okay|da|vang|ro roi|da ro)${ADDRESS}$`)],
];

/** What kind of small talk the whole message is, if it is only that. */
export function smallTalk(text: string): SmallTalk | undefined {
  const words = fold(text).replace(/[^a-z0-9 ]+/g, " ").trim().replace(/\s+/g, " ");
  if (!words || words.split(" ").length > 6) return undefined;
  return PATTERNS.find(([, re]) => re.test(words))?.[0];
}
