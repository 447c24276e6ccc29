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

/** Lower-cased NFC syllables (letters and digits), keeping accents. */
export function syllables(text: string): string[] {
  return nfc(text).toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Collapses runs of white space to one space and trims. */
export function collapseSpace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
