/**
 * Vietnamese text handling shared by ingest, search and the conversation.
 * Everything is NFC first: text typed or stored in NFD must behave exactly like NFC.
 */

/** Unicode NFC; the one normalisation applied to every text entering the system. */
export function nfc(text: string): string {
  return text.normalize("NFC");
}

/**
 * Removes diacritics (tones and vowel marks) and maps đ→d, lower-cased, so that
 * "Đảng viên" and "dang vien" compare equal. Used for accent-insensitive matching.
 */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .normalize("NFC");
}

/** Lower-cased NFC syllables (letters and digits), keeping accents, tone marks placed one way (see uniformTone). */
export function syllables(text: string): string[] {
  return (nfc(text).toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map(uniformTone);
}

// Old-style tone placement on open "oa", "oe", "uy" (the 2011 Party Charter: "uỷ", "hoà") → the style of
// the 2025 documents ("ủy", "hòa"). "quý" keeps its mark: after q the u belongs to the consonant.
const TONE_MOVES: Record<string, string> = {
  oà: "òa", oá: "óa", oả: "ỏa", oã: "õa", oạ: "ọa",
  oè: "òe", oé: "óe", oẻ: "ỏe", oẽ: "õe", oẹ: "ọe",
  uỳ: "ùy", uý: "úy", uỷ: "ủy", uỹ: "ũy", uỵ: "ụy",
};
const OLD_TONE = /(^|[^q])(o[àáảãạèéẻẽẹ]|u[ỳýỷỹỵ])$/u;

/** One lower-case syllable with its tone mark where the 2025 documents put it: "uỷ" → "ủy", "hoà" → "hòa". */
export function uniformTone(syllable: string): string {
  return OLD_TONE.test(syllable) ? syllable.replace(OLD_TONE, (_m, pre: string, pair: string) => pre + TONE_MOVES[pair]!) : syllable;
}

/** Collapses runs of white space to one space and trims. */
export function collapseSpace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
