import { describe, expect, it } from "vitest";
import { groupTextForBot } from "./parse.js";

describe("Telegram group messages", () => {
  it("takes this bot's commands, replies to it and mentions of it, and nothing else", () => {
    expect(groupTextForBot("/trogiup@SoTay_Bot", "sotay_bot", false)).toBe("/trogiup@SoTay_Bot");
    expect(groupTextForBot("/trogiup", "sotay_bot", false)).toBe("/trogiup");
    expect(groupTextForBot("/trogiup@OtherBot", "sotay_bot", false)).toBeNull();
    expect(groupTextForBot("/trogiup@OtherBot", "sotay_bot", true)).toBeNull();
    expect(groupTextForBot("hôm nay ai trực?", "sotay_bot", false)).toBeNull();
    expect(groupTextForBot("còn đảng viên dự bị?", "sotay_bot", true)).toBe("còn đảng viên dự bị?");
  });

  it("takes the mention out of a question, but leaves a command as typed", () => {
    expect(groupTextForBot("@SoTay_Bot mức đóng đảng phí?", "sotay_bot", false)).toBe("mức đóng đảng phí?");
    expect(groupTextForBot("/hoi @sotay_bot đảng phí", "sotay_bot", false)).toBe("/hoi @sotay_bot đảng phí");
  });
});
