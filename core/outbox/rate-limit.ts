/**
 * Sliding-window rate limiting for outgoing messages: at most `limit` sends in any
 * window of `windowMs` (+ a safety margin, because the platform measures arrival
 * times and local latency varies by a few milliseconds).
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

  /** How many sends are allowed right now. */
  available(now: number): number {
    this.prune(now);
    return Math.max(0, this.limit - this.times.length);
  }

  /** When the next send becomes allowed (now, if one is). */
  nextFreeAt(now: number): number {
    if (this.available(now) > 0) return now;
    return this.times[this.times.length - this.limit]! + this.windowMs + this.marginMs + 1;
  }

  /** Records a send at `now`. */
  record(now: number): void {
    this.times.push(now);
  }

  /** True when nothing inside the window remains (the entry can be forgotten). */
  isEmpty(now: number): boolean {
    this.prune(now);
    return this.times.length === 0;
  }
}

/** One overall window plus one window per chat, for one channel. */
export class ChannelRateLimiter {
  readonly overall: SlidingWindow;
  private readonly perChat = new Map<string, SlidingWindow>();
  private readonly chatWindow?: { limit: number; windowMs: number };
  private pausedUntil = 0;

  constructor(
    perSecond: number,
    perChatPerSecond: number | undefined,
    private readonly marginMs = 25,
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

  /** Records one send to `chatId` at `now`. */
  record(chatId: string, now: number): void {
    this.overall.record(now);
    if (this.chatWindow) {
      let w = this.perChat.get(chatId);
      if (!w) {
        w = new SlidingWindow(this.chatWindow.limit, this.chatWindow.windowMs, this.marginMs);
        this.perChat.set(chatId, w);
      }
      w.record(now);
    }
    if (this.perChat.size > 1000) {
      for (const [chat, w] of this.perChat) if (w.isEmpty(now)) this.perChat.delete(chat);
    }
  }

  /** The platform said "slow down": send nothing on this channel until `until`. */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }
}
