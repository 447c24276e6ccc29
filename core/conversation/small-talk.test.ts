import { describe, expect, it } from "vitest";
import { smallTalk } from "./small-talk.js";

describe("smallTalk", () => {
  it("recognises greetings and thanks typed as a whole message, accents or not", () => {
    expect(smallTalk("Xin chào!")).toBe("greeting");
    expect(smallTalk("chao ban")).toBe("greeting");
    expect(smallTalk("Chào đồng chí ạ")).toBe("greeting");
    expect(smallTalk("cảm ơn nhiều nhé")).toBe("thanks");
    expect(smallTalk("ok")).toBe("thanks");
  });
  it("leaves questions alone, even ones starting with a greeting word", () => {
    expect(smallTalk("chào cờ có bắt buộc trong lễ kết nạp không")).toBeUndefined();
    expect(smallTalk("xin chào, cho hỏi đảng phí đóng bao nhiêu")).toBeUndefined();
    expect(smallTalk("cảm tình đảng là gì")).toBeUndefined();
  });
});
