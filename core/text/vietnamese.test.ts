import { describe, expect, it } from "vitest";
import { fold, nfc, syllables, uniformTone } from "./vietnamese.js";

describe("Vietnamese text", () => {
  it("folds accents and đ so unaccented typing matches", () => {
    expect(fold("Đảng viên dự bị")).toBe("dang vien du bi");
    expect(fold("ĐẢNG PHÍ")).toBe("dang phi");
  });
  it("treats NFD input exactly like NFC", () => {
    const composed = "Kết nạp đảng viên";
    const decomposed = composed.normalize("NFD");
    expect(decomposed).not.toBe(composed);
    expect(nfc(decomposed)).toBe(composed);
    expect(fold(decomposed)).toBe(fold(composed));
    expect(syllables(decomposed)).toEqual(syllables(composed));
  });
  it("reads the Charter's old tone placement like the 2025 documents' (uỷ = ủy, hoà = hòa), and leaves quý alone", () => {
    expect(syllables("Chi uỷ, hoà giải, Cộng hoà, khoẻ")).toEqual(syllables("Chi ủy, hòa giải, Cộng hòa, khỏe"));
    expect(uniformTone("quý")).toBe("quý");
    expect(uniformTone("hoàn")).toBe("hoàn");
    expect(syllables("UỶ BAN")).toEqual(["ủy", "ban"]);
  });
});
