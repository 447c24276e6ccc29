import { describe, expect, it } from "vitest";
import { cachedAnswerer, questionKey } from "./answer-cache.js";
import type { Answer } from "../search/types.js";

function countingAnswerer() {
  const asked: string[] = [];
  return {
    asked,
    async answer(question: string): Promise<Answer> {
      asked.push(question);
      await new Promise((r) => setTimeout(r, 5));
      return { question, mode: "answer", answered: true, passages: [], offered: 0, highlights: [] };
    },
  };
}

describe("answer cache", () => {
  it("reuses an answer for the same question written slightly differently, but not across accents", async () => {
    const inner = countingAnswerer();
    const cached = cachedAnswerer(inner);
    await cached.answer("Đảng phí bao nhiêu?");
    const again = await cached.answer("  đảng phí   BAO nhiêu ");
    expect(again.question).toBe("  đảng phí   BAO nhiêu ");
    await cached.answer("Đảng phí báo nhiêu?");
    expect(inner.asked).toEqual(["Đảng phí bao nhiêu?", "Đảng phí báo nhiêu?"]);
    expect(questionKey("Đảng phí?")).toBe("đảng phí");
  });

  it("shares one search between identical questions arriving together", async () => {
    const inner = countingAnswerer();
    const cached = cachedAnswerer(inner);
    await Promise.all([cached.answer("kỷ luật"), cached.answer("kỷ luật"), cached.answer("kỷ luật")]);
    expect(inner.asked).toHaveLength(1);
  });

  it("forgets answers after the time limit and evicts the least recently used", async () => {
    let t = 0;
    const inner = countingAnswerer();
    const cached = cachedAnswerer(inner, { maxEntries: 2, ttlMs: 1000, now: () => t });
    await cached.answer("a");
    await cached.answer("b");
    await cached.answer("a"); // a is now the most recent
    await cached.answer("c"); // evicts b
    expect(cached.size).toBe(2);
    await cached.answer("b");
    expect(inner.asked).toEqual(["a", "b", "c", "b"]);
    t = 5000;
    await cached.answer("b");
    expect(inner.asked).toHaveLength(5);
  });

  it("does not cache failures", async () => {
    let fail = true;
    const cached = cachedAnswerer({
      answer: async (q) => {
        if (fail) throw new Error("down");
        return { question: q, mode: "none", answered: false, passages: [], offered: 0, highlights: [] };
      },
    });
    await expect(cached.answer("x")).rejects.toThrow("down");
    fail = false;
    await expect(cached.answer("x")).resolves.toMatchObject({ answered: false });
  });
});
