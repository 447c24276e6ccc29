/**
 * Sliding-window rate limiting for outgoing messages: at most `limit` sends in any
 * window of `windowMs`. A send occupies its slot from the moment it starts until
 * `windowMs` (+ a small margin) after its response arrived. The platform counts
 * arrival times, which lie between the two, so however late a request leaves (a
 * busy event loop) or however long it takes, two sends sharing a slot always arrive
 * more than a window apart: no 429 from our own pacing. (Freeing the slot one window
 * after the *start* instead was measured to draw 429s under load: requests can leave
 * tens of milliseconds after they were started.) The price is the response latency
 * added to each slot's cycle: about 3% at 30/s locally, more on a saturated machine.
 */

/** Turns "N per second" into a limit per window: 30/s → 30 per 1000 ms; 0.5/s → 1 per 2000 ms. */
export function windowFor(perSecond: number): { limit: number; windowMs: number } {
  if (perSecond >= 1) {
    const limit = Math.floor(perSecond);
    return { limit, windowMs: (1000 * limit) / perSecond };
  }
  return { limit: 1, windowMs: 1000 / perSecond };
}

/** A sliding-window log: remembers the send times inside the current window. */
export class SlidingWindow {
  private readonly times: number[] = [];
  private open = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    readonly marginMs = 0,
  ) {}

  private prune(now: number): void {
    const horizon = now - this.windowMs - this.marginMs;
    let drop = 0;
    while (drop < this.times.length && this.times[drop]! <= horizon) drop++;
    if (drop > 0) this.times.splice(0, drop);
  }

  /** How many sends may start right now. */
  available(now: number): number {
    this.prune(now);
    return Math.max(0, this.limit - this.times.length - this.open);
  }

  /** When the next send may start (now, if one may; +Infinity while only open sends hold the slots). */
  nextFreeAt(now: number): number {
    if (this.available(now) > 0) return now;
    const i = this.times.length + this.open - this.limit;
    if (i >= this.times.length) return Number.POSITIVE_INFINITY;
    return this.times[i]! + this.windowMs + this.marginMs;
  }

  /** A send starts: it holds a slot until finish(). */
  start(): void {
    this.open++;
  }

  /** The send's response arrived at `now`: its slot frees one window later. */
  finish(now: number): void {
    this.open = Math.max(0, this.open - 1);
    let i = this.times.length;
    while (i > 0 && this.times[i - 1]! > now) i--;
    this.times.splice(i, 0, now);
  }

  /** True when nothing holds a slot (the entry can be forgotten). */
  isEmpty(now: number): boolean {
    this.prune(now);
    return this.times.length === 0 && this.open === 0;
  }
}

/** One overall window plus one window per chat, for one channel. */
export class ChannelRateLimiter {
  readonly overall: SlidingWindow;
  private readonly perChat = new Map<string, SlidingWindow>();
  private readonly chatWindow?: { limit: number; windowMs: number };
  private pausedUntil = 0;
  private platformPausedUntil = 0;

  constructor(
    perSecond: number,
    perChatPerSecond: number | undefined,
    private readonly marginMs = 5,
  ) {
    const w = windowFor(perSecond);
    this.overall = new SlidingWindow(w.limit, w.windowMs, marginMs);
    this.chatWindow = perChatPerSecond ? windowFor(perChatPerSecond) : undefined;
  }

  /** Sends allowed now across all chats (0 while paused by a 429). */
  available(now: number): number {
    if (now < this.pausedUntil) return 0;
    return this.overall.available(now);
  }

  /** True while the platform's own "slow down" (a 429's retry_after) lasts. */
  isPaused(now: number): boolean {
    return now < this.platformPausedUntil;
  }

  /** When the channel may send again (ignoring per-chat limits). */
  nextFreeAt(now: number): number {
    return Math.max(this.pausedUntil, this.overall.nextFreeAt(now));
  }

  /** True when this chat may receive a message now. */
  chatFree(chatId: string, now: number): boolean {
    if (!this.chatWindow) return true;
    const w = this.perChat.get(chatId);
    return !w || w.available(now) > 0;
  }

  /** When this chat may receive a message again. */
  chatNextFreeAt(chatId: string, now: number): number {
    return this.perChat.get(chatId)?.nextFreeAt(now) ?? now;
  }

  /** A send to `chatId` starts. */
  start(chatId: string, now: number): void {
    this.overall.start();
    if (this.chatWindow) {
      let w = this.perChat.get(chatId);
      if (!w) {
        w = new SlidingWindow(this.chatWindow.limit, this.chatWindow.windowMs, this.marginMs);
        this.perChat.set(chatId, w);
      }
      w.start();
    }
    if (this.perChat.size > 1000) {
      for (const [chat, w] of this.perChat) if (w.isEmpty(now)) this.perChat.delete(chat);
    }
  }

  /** The send to `chatId` got its response (success or failure) at `now`. */
  finish(chatId: string, now: number): void {
    this.overall.finish(now);
    this.perChat.get(chatId)?.finish(now);
  }

  /** Send nothing on this channel until `until` (a restart lets the previous process's window pass). */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /** The platform said "slow down" (429 with retry_after): nothing at all goes until `until`, replies included. */
  slowDown(until: number): void {
    this.pause(until);
    this.platformPausedUntil = Math.max(this.platformPausedUntil, until);
  }
}
