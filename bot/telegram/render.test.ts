import { describe, expect, it } from "vitest";
import { renderTelegram, telegramCommands, toTelegramHtml } from "./render.js";

describe("Telegram rendering", () => {
  it("escapes every HTML-significant character and leaves Markdown characters alone", () => {
    expect(toTelegramHtml("a < b > c & d _ * [ ] ( ) ~ ` > # + - = | { } . !")).toBe(
      "a &lt; b &gt; c &amp; d _ * [ ] ( ) ~ ` &gt; # + - = | { } . !",
    );
    expect(toTelegramHtml("**<script>** & **b**")).toBe("<b>&lt;script&gt;</b> &amp; <b>b</b>");
    expect(toTelegramHtml("2 ** 3")).toBe("2 ** 3");
  });

  it("keeps each part within 4,096 characters of visible text", () => {
    const text = `**${"Điều lệ Đảng. ".repeat(600)}**`;
    const parts = renderTelegram({ text });
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.html.replace(/<\/?b>/g, "").length).toBeLessThanOrEqual(4096);
      expect(p.html.startsWith("<b>") && p.html.endsWith("</b>")).toBe(true);
    }
  });

  it("keeps the command menu within Telegram's limits: commands up to 32 characters, descriptions up to 256", () => {
    const menu = [
      { command: "hoi", description: "hỏi ".repeat(100) },
      { command: "a".repeat(33), description: "quá dài" },
      { command: "b".repeat(32), description: "vừa đủ" },
    ];
    expect(telegramCommands(menu)).toEqual([
      { command: "hoi", description: "hỏi ".repeat(100).slice(0, 256) },
      { command: "b".repeat(32), description: "vừa đủ" },
    ]);
  });
});
