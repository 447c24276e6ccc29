/**
 * Members ask the same handful of questions again and again ("đảng phí bao nhiêu?"); a
 * search costs milliseconds of CPU each time. This keeps recent answers (bounded, with
 * a time limit so a re-ingested handbook shows within minutes) and lets identical
 * questions arriving together share one search.
 *
 *   const answerer = cachedAnswerer(kb, { maxEntries: 500, ttlMs: 10 * 60_000 });
 */
import type { Answer, Answerer } from "../search/types.js";
import { collapseSpace, nfc } from "../text/vietnamese.js";

export interface AnswerCacheOptions {
  /** Most answers kept (least recently used go first); default 500. */
  maxEntries?: number;
  /** How long an answer is reused; default 10 minutes. */
  ttlMs?: number;
  /** Clock (tests). */
  now?: () => number;
}

/** The cache key: NFC, lower case, single spaces, no trailing punctuation (accents kept: "bao" ≠ "báo"). */
export function questionKey(question: string): string {
  return collapseSpace(nfc(question).toLowerCase()).replace(/[\s?.!…]+$/u, "");
}

/** Wraps an answerer with an LRU answer cache and single-flight for concurrent identical questions. */
export function cachedAnswerer(inner: Answerer, options: AnswerCacheOptions = {}): Answerer & { readonly size: number } {
  const max = options.maxEntries ?? 500;
  const ttl = options.ttlMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { answer: Answer; at: number }>();
  const pending = new Map<string, Promise<Answer>>();
  let knownVersion: number | undefined;

  return {
    get size() {
      return entries.size;
    },
    passage: inner.passage?.bind(inner),
    version: inner.version?.bind(inner),
    async answer(question: string): Promise<Answer> {
      // What the handbook knows changed (a document ingested, a question taught): earlier answers may be wrong now.
      const version = inner.version?.();
      if (version !== knownVersion) {
        entries.clear();
        knownVersion = version;
      }
      const key = questionKey(question);
      const hit = entries.get(key);
      if (hit && now() - hit.at < ttl) {
        // Refresh its place in the LRU order (Map keeps insertion order).
        entries.delete(key);
        entries.set(key, hit);
        return { ...hit.answer, question };
      }
      const running = pending.get(key);
      if (running) return { ...(await running), question };
      const task = inner.answer(question);
      pending.set(key, task);
      try {
        const answer = await task;
        entries.delete(key);
        entries.set(key, { answer, at: now() });
        while (entries.size > max) entries.delete(entries.keys().next().value!);
        return answer;
      } finally {
        pending.delete(key);
      }
    },
  };
}
