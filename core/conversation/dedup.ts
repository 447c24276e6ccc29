/**
 * "Each platform update is handled once", across restarts: the first sighting of
 * (channel, update key) inserts a ProcessedUpdate row; a redelivery finds it there.
 *
 *   const seen = createUpdateLog(store.sqlite);
 *   if (!seen.claim("telegram", String(update.update_id))) return; // redelivered
 *   seen.prune(7);                                                  // keep a week
 */
import type Database from "better-sqlite3";
import type { ChannelName } from "./types.js";

export interface UpdateLog {
  /** True the first time this update is seen (and records it); false for a redelivery. */
  claim(channel: ChannelName, updateKey: string): boolean;
  /** Forgets a claim (processing could not start, so a redelivery should be handled). */
  release(channel: ChannelName, updateKey: string): void;
  /** Deletes rows older than `days`; returns how many. */
  prune(days: number): number;
}

/** An update log over the ProcessedUpdate table (raw SQL: it runs on every update). */
export function createUpdateLog(sqlite: Database.Database): UpdateLog {
  const insert = sqlite.prepare(`INSERT OR IGNORE INTO "ProcessedUpdate" (channel, updateKey) VALUES (?, ?)`);
  const remove = sqlite.prepare(`DELETE FROM "ProcessedUpdate" WHERE channel = ? AND updateKey = ?`);
  const prune = sqlite.prepare(`DELETE FROM "ProcessedUpdate" WHERE receivedAt < datetime('now', ?)`);
  return {
    claim: (channel, key) => insert.run(channel, key).changes === 1,
    release: (channel, key) => void remove.run(channel, key),
    prune: (days) => prune.run(`-${Math.max(0, Math.floor(days))} days`).changes,
  };
}
