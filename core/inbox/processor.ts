/**
 * Works through the inbox: each stored update is turned into the core's message by its
 * channel, handled by the conversation core, and completed (replies queued in the
 * outbox and the update marked done, in one transaction); then its replies are sent at
 * once. Updates of one chat are processed one after another, in the order they were
 * stored; different chats proceed side by side (up to `maxConcurrent`).
 *
 * Nothing is done twice by accident, and nothing is lost:
 * - an update is marked done only together with its replies; a crash before that
 *   leaves it pending, and `start()` processes it again;
 * - so a command may run twice for one update (crash between its effects and the done
 *   mark). Features keep their effects idempotent per update: the message carries
 *   `updateKey` (the same on a replay) and features derive their keys from it (a meeting
 *   created by update X exists once; notices are keyed by meeting). The replies of a
 *   replay have the same outbox keys as the first run's, so nobody gets them twice.
 * - a failure is retried with backoff (the chat waits, to keep its order); after
 *   MAX_ATTEMPTS the update is kept as "failed" with its error and logged, never dropped
 *   in silence. A locked database only delays: the update is retried in memory.
 *
 *   const processor = createInboxProcessor({ inbox, conversation, outbox, logger });
 *   processor.handle("telegram", { toMessage: (payload) => ..., typing: (chatId) => ... });
 *   await processor.start();          // pending updates from before a crash
 *   processor.enqueue(row);            // a newly stored update
 *   await processor.drain();           // tests: until nothing is queued or running
 */
import type { Logger } from "../logger.js";
import type { Conversation } from "../conversation/conversation.js";
import type { ChannelName, IncomingMessage } from "../conversation/types.js";
import { isDatabaseBusy, retryWhileBusy } from "../db/busy.js";
import type { OutboxItem, QueuedMessage } from "../outbox/outbox.js";
import type { Inbox, InboxRow } from "./inbox.js";

/** How one channel's stored updates are read. */
export interface InboxChannel {
  /**
   * The stored update as the core's message, or null when it needs no answer (a group
   * message not meant for the bot, an event the bot ignores). May throw for a passing
   * failure (the update is retried).
   */
  toMessage(payload: unknown): Promise<IncomingMessage | null> | IncomingMessage | null;
  /** Shows "typing…" in the chat while a search is slow (best effort). */
  typing?(chatId: string): Promise<unknown>;
}

/** Where the replies of a processed update are sent at once (the outbox worker). */
export interface ReplyDelivery {
  deliverNow(queued: QueuedMessage[]): Promise<void>;
}

export interface InboxProcessorOptions {
  inbox: Inbox;
  conversation: Conversation;
  outbox: ReplyDelivery;
  logger: Logger;
  /** Updates processed side by side at most (default 32). */
  maxConcurrent?: number;
  /** Wait before attempt n + 1 after n failed (default 1 s, 2 s, 4 s ... capped at 2 minutes). */
  backoffMs?: (attempts: number) => number;
  clock?: () => Date;
  /**
   * Read the inbox for pending updates again every so many ms (default: only at start and when
   * a full page was left). PostgreSQL: updates another instance handed back or left behind
   * (stopped or dead) are adopted this way.
   */
  pollMs?: number;
}

export interface InboxProcessor {
  /** Says how `channel`'s updates are read; updates of channels without one wait in the inbox. */
  handle(channel: ChannelName, reader: InboxChannel): void;
  /** Queues a stored update for processing. */
  enqueue(row: InboxRow): void;
  /** Processes the updates left pending (by a crash, or a stop), then keeps processing what is enqueued. */
  start(): Promise<void>;
  /** Starts nothing new and waits for the updates being processed; the rest stays pending in the inbox (for the next process). */
  stop(): Promise<void>;
  /** Resolves when nothing is queued or being processed (updates waiting to be retried excepted). */
  drain(): Promise<void>;
}

/** Attempts before an update is given up as "failed" (spread over about four minutes). */
export const MAX_ATTEMPTS = 8;
/** Rows read from the inbox at a time; more wait there until these are done. */
const PAGE = 5000;

/** Backoff after a failed attempt: 1 s, 2 s, 4 s ... capped at 2 minutes. */
const defaultBackoffMs = (attempts: number) => Math.min(1000 * 2 ** Math.max(0, attempts - 1), 120_000);

interface ChatQueue {
  rows: InboxRow[];
  /** Its first row is being processed, or waits for a retry. */
  busy: boolean;
}

/** Creates the processor (nothing runs before start()). */
export function createInboxProcessor(options: InboxProcessorOptions): InboxProcessor {
  const { inbox, conversation, outbox, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const maxConcurrent = options.maxConcurrent ?? 32;
  const backoffMs = options.backoffMs ?? defaultBackoffMs;
  const readers = new Map<ChannelName, InboxChannel>();
  const chats = new Map<string, ChatQueue>();
  const ready: string[] = [];
  const known = new Set<number>();
  const retryTimers = new Set<NodeJS.Timeout>();
  let queued = 0;
  let running = 0;
  let started = false;
  let stopping = false;
  /** Pending rows were left in the inbox (a full page): read more once the queue is empty. */
  let moreInInbox = false;
  const idleWaiters: (() => void)[] = [];
  const stopWaiters: (() => void)[] = [];
  let busyLogged = false;

  function enqueue(row: InboxRow): void {
    if (known.has(row.id)) return;
    if (queued >= PAGE) {
      moreInInbox = true; // it is safe in the inbox; read again later
      return;
    }
    known.add(row.id);
    queued++;
    const key = `${row.channel}\u0000${row.chatKey}`;
    let chat = chats.get(key);
    if (!chat) chats.set(key, (chat = { rows: [], busy: false }));
    chat.rows.push(row);
    if (!chat.busy && chat.rows.length === 1) ready.push(key);
    pump();
  }

  function pump(): void {
    while (started && !stopping && running < maxConcurrent && ready.length > 0) {
      const key = ready.shift()!;
      const chat = chats.get(key);
      const row = chat?.rows[0];
      if (!chat || !row || chat.busy) continue;
      chat.busy = true;
      const wait = row.nextAttemptAt.getTime() - clock().getTime();
      if (wait > 0) {
        later(key, chat, wait);
        continue;
      }
      running++;
      const outcome = run(row).catch((err: unknown) => {
        logger.error({ err, channel: row.channel }, "inbox: unexpected failure while processing an update; it will be retried");
        return "retry" as const;
      });
      void outcome.then((outcome) => {
        running--;
        if (outcome === "retry") later(key, chat, backoffMs(row.attempts));
        else {
          chat.rows.shift();
          known.delete(row.id);
          if (reading > 0) finishedWhileReading.add(row.id);
          queued--;
          chat.busy = false;
          if (chat.rows.length > 0) ready.push(key);
          else chats.delete(key);
        }
        pump();
      });
    }
    if (running === 0) for (const resolve of stopWaiters.splice(0)) resolve();
    if (running === 0 && ready.length === 0) {
      if (moreInInbox && started && !stopping) {
        moreInInbox = false;
        void readPending();
        return;
      }
      for (const resolve of idleWaiters.splice(0)) resolve();
    }
  }

  /** The chat waits `ms` before its first row is tried again. */
  function later(key: string, chat: ChatQueue, ms: number): void {
    const t = setTimeout(() => {
      retryTimers.delete(t);
      chat.busy = false;
      ready.push(key);
      pump();
    }, ms);
    retryTimers.add(t);
  }

  /**
   * Resolves on a later turn of the event loop than the previous call: at most one update
   * starts per turn. Processing (a search) is CPU work on this thread; started together,
   * 32 of them would run back to back between two reads of the network, and webhook
   * acknowledgements would wait seconds behind them. (A timer instead of setImmediate was
   * measured too: the network was then read in smaller bites, and acknowledgements came
   * later, not sooner.)
   */
  let turn: Promise<void> = Promise.resolve();
  function nextTurn(): Promise<void> {
    turn = turn.then(() => new Promise<void>((r) => setImmediate(r)));
    return turn;
  }

  /** Processes one row; "retry" when it should be tried again later. */
  async function run(row: InboxRow): Promise<"done" | "retry"> {
    await nextTurn();
    try {
      const reader = readers.get(row.channel);
      if (!reader) throw new Error(`no reader for channel ${row.channel}`);
      const message = await reader.toMessage(JSON.parse(row.payload) as unknown);
      let replies: OutboxItem[] = [];
      if (message) {
        const incoming: IncomingMessage = { ...message, updateKey: `${row.channel}:${row.updateKey}`, receivedAt: row.receivedAt };
        const out = await conversation.handle(incoming, {
          onSearching: reader.typing ? () => void reader.typing!(incoming.chatId).catch(() => undefined) : undefined,
        });
        replies = out.map((m, i) => ({ dedupeKey: `reply:${row.channel}:${row.updateKey}:${i}`, channel: row.channel, chatId: incoming.chatId, message: m }));
      }
      // The work is done: wait out a short lock rather than do it all again.
      const queued = await retryWhileBusy(() => inbox.complete(row, replies), { deadlineMs: 2000 });
      if (busyLogged) {
        busyLogged = false;
        logger.info("inbox: the database is writable again; processing resumes");
      }
      await outbox.deliverNow(queued);
      return "done";
    } catch (err) {
      return await failed(row, err);
    }
  }

  async function failed(row: InboxRow, err: unknown): Promise<"done" | "retry"> {
    if (isDatabaseBusy(err)) {
      // Nothing can be recorded while the database is locked; the row stays pending and is retried from memory.
      if (!busyLogged) {
        busyLogged = true;
        logger.warn({ channel: row.channel }, "inbox: the database is locked by another process; updates wait");
      }
      row.attempts = Math.max(row.attempts, 1);
      return "retry";
    }
    row.attempts++;
    const error = err instanceof Error ? err.message : String(err);
    const giveUp = row.attempts >= MAX_ATTEMPTS;
    const retryAt = giveUp ? null : new Date(clock().getTime() + backoffMs(row.attempts));
    try {
      await inbox.fail(row, error, retryAt);
    } catch (writeErr) {
      if (!isDatabaseBusy(writeErr)) logger.error({ err: writeErr }, "inbox: could not record a failed update");
      return "retry";
    }
    if (giveUp) {
      logger.error({ channel: row.channel, updateKey: row.updateKey, attempts: row.attempts, error }, "inbox: update given up after repeated failures (kept as failed)");
      return "done";
    }
    logger.warn({ channel: row.channel, updateKey: row.updateKey, attempts: row.attempts, error }, "inbox: update failed; it will be retried");
    return "retry";
  }

  /**
   * Rows finished while a read of the inbox was under way: the read (asynchronous on PostgreSQL)
   * may have seen them still pending, and must not queue them again.
   */
  const finishedWhileReading = new Set<number>();
  let reading = 0;

  /** Reads pending rows into the queue; resolves with how many were new here. */
  async function readPending(): Promise<number> {
    let rows: InboxRow[];
    reading++;
    try {
      rows = (await inbox.pending(PAGE, [...readers.keys()])).filter((r) => !finishedWhileReading.has(r.id));
    } catch (err) {
      logger.error({ err }, "inbox: could not read pending updates; retrying in 1 s");
      const t = setTimeout(() => (retryTimers.delete(t), void readPending()), 1000);
      retryTimers.add(t);
      return 0;
    } finally {
      if (--reading === 0) finishedWhileReading.clear();
    }
    if (stopping) return 0;
    if (rows.length === PAGE) moreInInbox = true;
    const before = queued;
    for (const row of rows) enqueue(row);
    pump();
    return queued - before;
  }

  let pollTimer: NodeJS.Timeout | undefined;
  let polling = false;
  function poll(): void {
    if (polling || stopping || queued >= PAGE) return;
    polling = true;
    void readPending().then(
      (adopted) => {
        polling = false;
        if (adopted > 0) logger.info({ updates: adopted }, "inbox: adopted pending updates (handed back or left by another instance)");
      },
      () => (polling = false),
    );
  }

  return {
    handle(channel, reader) {
      readers.set(channel, reader);
    },
    enqueue,
    async start() {
      if (started) return;
      started = true;
      const recovered = await readPending();
      if (recovered > 0) logger.info({ updates: recovered }, "inbox: processing updates left unfinished before the restart");
      if (options.pollMs) {
        pollTimer = setInterval(poll, options.pollMs);
        pollTimer.unref();
      }
    },
    async stop() {
      stopping = true;
      clearInterval(pollTimer);
      for (const t of retryTimers) clearTimeout(t);
      retryTimers.clear();
      if (running > 0) await new Promise<void>((r) => stopWaiters.push(r));
      for (const resolve of idleWaiters.splice(0)) resolve();
    },
    drain() {
      if (running === 0 && ready.length === 0) return Promise.resolve();
      return new Promise<void>((r) => idleWaiters.push(r));
    },
  };
}
