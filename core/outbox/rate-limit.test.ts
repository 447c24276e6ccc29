import { describe, expect, it } from "vitest";
import { ChannelRateLimiter, SlidingWindow, windowFor } from "./rate-limit.js";

describe("sliding-window rate limiting", () => {
  it("turns a per-second rate into a window", () => {
    expect(windowFor(30)).toEqual({ limit: 30, windowMs: 1000 });
    expect(windowFor(0.5)).toEqual({ limit: 1, windowMs: 2000 });
    expect(windowFor(2.5)).toEqual({ limit: 2, windowMs: 800 });
  });

  it("a slot is held while its request is open and frees one window after the response", () => {
    const w = new SlidingWindow(2, 1000, 5);
    w.start();
    w.start();
    expect(w.available(0)).toBe(0);
    expect(w.nextFreeAt(0)).toBe(Number.POSITIVE_INFINITY); // both still open
    w.finish(30); // a slow response: the slot counts from here, not from the start
    expect(w.nextFreeAt(40)).toBe(1035);
    expect(w.available(1034)).toBe(0);
    expect(w.available(1035)).toBe(1);
  });

  it("limits each chat separately and pauses the channel after a 429", () => {
    const l = new ChannelRateLimiter(30, 1, 0);
    l.start("a", 0);
    l.finish("a", 10);
    expect(l.chatFree("a", 500)).toBe(false);
    expect(l.chatFree("b", 500)).toBe(true);
    expect(l.chatFree("a", 1011)).toBe(true);
    l.pause(5000);
    expect(l.available(4999)).toBe(0);
    expect(l.available(5000)).toBe(29 + 1);
  });
});
