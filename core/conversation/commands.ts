/**
 * Reads "/command args" from a message, tolerant of case, accents ("/Trợ giúp" is
 * /trogiup), and Telegram's group form "/hoi@SoTayBot câu hỏi".
 *
 *   parseCommand("/Hỏi@SoTayBot Đảng phí?") // → { name: "hoi", args: "Đảng phí?", addressee: "SoTayBot" }
 */
import { fold } from "../text/vietnamese.js";

export interface ParsedCommand {
  /** Folded name: lower case, no accents, no spaces. */
  name: string;
  /** Text after the command, trimmed. */
  args: string;
  /** The bot named after "@", when present (Telegram groups). */
  addressee?: string;
}

/** Parses a command, or returns null when the text is not one. */
export function parseCommand(text: string): ParsedCommand | null {
  const m = /^\s*\/([\p{L}\p{N}_]+)(?:@([A-Za-z0-9_]+))?(?:\s+([\s\S]*))?$/u.exec(text);
  if (!m) return null;
  const name = commandKey(m[1]!);
  if (!name) return null;
  return { name, args: (m[3] ?? "").trim(), addressee: m[2] };
}

/** The form command names are compared in ("TroGiup", "trợ_giúp" → "trogiup"). */
export function commandKey(name: string): string {
  return fold(name).replace(/[^a-z0-9]/g, "");
}
