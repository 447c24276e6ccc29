/**
 * The persistent outbox: every message the bot sends (replies to updates, meeting
 * notices, changes, reminders) is written here BEFORE anything is sent, with a unique
 * dedupeKey, so a crash never loses a recipient and re-running a fan-out (or a replayed
 * update) never queues anyone twice. The worker (worker.ts) delivers the rows within
 * each channel's rate limits; replies are sent at once (worker.deliverNow).
 *
 *   await enqueue(prisma, [{ dedupeKey: "notice:12:1:7:3", channel: "telegram", chatId: "42", message }]);
 *   const ids = enqueueNow(store.sqlite, replies);  // inside the caller's SQLite transaction
 *   const ids = await enqueueOnPostgresql(client, replies); // inside the caller's PostgreSQL transaction
 */
import type Database from "better-sqlite3";
import type pg from "pg";
import type { PrismaClient } from "@prisma/client";
import type { ChannelName, OutgoingMessage } from "../conversation/types.js";
import { sqliteTime, type Store } from "../db/store.js";

export interface OutboxItem {
  /** Unique per logical message and recipient, e.g. "notice:<meeting>:<version>:<member>:<identity>". */
  dedupeKey: string;
  channel: ChannelName;
  chatId: string;
  message: OutgoingMessage;
  meetingId?: number;
  memberId?: number;
}

/** A queued row as the worker needs it to send it. */
export interface QueuedMessage {
  id: number;
  channel: ChannelName;
  chatId: string;
  /** The OutgoingMessage as encodeMessage stored it. */
  payload: string;
  attempts: number;
}

const CHUNK = 200;

/**
 * An OutgoingMessage as stored in a row's payload: JSON, with a file's bytes as base64 (a
 * Uint8Array would turn into an object of numbers and come back as no file at all).
 */
export function encodeMessage(message: OutgoingMessage): string {
  const { file, ...rest } = message;
  return JSON.stringify(file ? { ...rest, file: { fileName: file.fileName, mimeType: file.mimeType, base64: Buffer.from(file.content).toString("base64") } } : rest);
}

/** The stored payload back as the message that was queued. */
export function decodeMessage(payload: string): OutgoingMessage {
  const parsed = JSON.parse(payload) as OutgoingMessage & { file?: { fileName: string; mimeType: string; base64?: string } };
  if (parsed.file?.base64 === undefined) return parsed;
  const { base64, ...file } = parsed.file;
  return { ...parsed, file: { ...file, content: new Uint8Array(Buffer.from(base64, "base64")) } };
}

/**
 * Stores messages for delivery; rows whose dedupeKey already exists are left as they
 * are (one INSERT ... ON CONFLICT DO NOTHING per chunk: atomic and idempotent).
 * Returns how many rows were new.
 */
export async function enqueue(prisma: PrismaClient, items: OutboxItem[], now: Date = new Date()): Promise<number> {
  let inserted = 0;
  const at = sqliteTime(now);
  for (let i = 0; i < items.length; i += CHUNK) {
    const chunk = items.slice(i, i + CHUNK);
    const values: (string | number | null)[] = [];
    for (const item of chunk) {
      values.push(
        item.dedupeKey,
        item.channel,
        item.chatId,
        encodeMessage(item.message),
        at,
        item.meetingId ?? null,
        item.memberId ?? null,
        at,
      );
    }
    const placeholders = placeholdersFor(prisma, chunk.length);
    inserted += await prisma.$executeRawUnsafe(
      `INSERT INTO "OutboxMessage" ("dedupeKey", "channel", "chatId", "payload", "status", "attempts", "nextAttemptAt", "meetingId", "memberId", "createdAt")
       VALUES ${placeholders} ON CONFLICT ("dedupeKey") DO NOTHING`,
      ...values,
    );
  }
  return inserted;
}

/**
 * One "(…)" per item for enqueue's INSERT: `?` on SQLite, `$n` on PostgreSQL. (Prisma's
 * tagged-template SQL would pick the form itself, but the PostgreSQL client is generated apart,
 * with a runtime of its own whose Sql objects the other does not accept.)
 */
function placeholdersFor(prisma: PrismaClient, rows: number): string {
  const postgresql = (prisma as unknown as { _activeProvider?: string })._activeProvider === "postgresql";
  let n = 0;
  const p = () => (postgresql ? `$${++n}` : "?");
  return Array.from({ length: rows }, () => `(${p()}, ${p()}, ${p()}, ${p()}, 'pending', 0, ${postgresql ? `${p()}::timestamp` : p()}, ${p()}, ${p()}, ${postgresql ? `${p()}::timestamp` : p()})`).join(", ");
}

/**
 * The synchronous form for the raw connection, so it can share a transaction with other
 * writes (the inbox marks its update done in the same one). Returns these items' rows
 * that are still waiting to be sent (new ones, or ones a replay finds pending), in order.
 */
export function enqueueNow(sqlite: Database.Database, items: OutboxItem[], now: Date = new Date()): QueuedMessage[] {
  if (items.length === 0) return [];
  const at = sqliteTime(now);
  const { insert, find } = statementsFor(sqlite);
  const queued: QueuedMessage[] = [];
  for (const item of items) {
    insert.run(item.dedupeKey, item.channel, item.chatId, encodeMessage(item.message), at, item.meetingId ?? null, item.memberId ?? null, at);
    const row = find.get(item.dedupeKey) as QueuedMessage | undefined;
    if (row) queued.push(row);
  }
  return queued;
}

/**
 * enqueueNow on PostgreSQL: on a client inside the caller's transaction (the inbox marks its
 * update done in the same one). Returns these items' rows still waiting to be sent, in order.
 */
export async function enqueueOnPostgresql(client: pg.ClientBase, items: OutboxItem[], now: Date = new Date()): Promise<QueuedMessage[]> {
  if (items.length === 0) return [];
  return (await client.query<QueuedMessage>(queueStatement(items, now))).rows;
}

/**
 * One statement that queues `items` (a dedupeKey already queued is left as it is) and returns
 * them as queued: the rows it inserted and the ones pending from before, by id. `alsoWith` is
 * a further data-modifying CTE run in the same statement (so atomically, in one round trip),
 * whose parameters start at $8: `inbox.complete` marks its update done with it.
 */
export function queueStatement(items: OutboxItem[], now: Date, alsoWith?: { cte: string; values: unknown[] }): { text: string; values: unknown[] } {
  const columns = `"id", "channel", "chatId", "payload", "attempts"`;
  return {
    text: `WITH queued AS (
         INSERT INTO "OutboxMessage" ("dedupeKey", "channel", "chatId", "payload", "status", "attempts", "nextAttemptAt", "meetingId", "memberId", "createdAt")
         SELECT k, c, ch, p, 'pending', 0, $5::timestamp, m, mb, $5::timestamp
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $6::int[], $7::int[]) WITH ORDINALITY AS t(k, c, ch, p, m, mb, i)
         ORDER BY i
         ON CONFLICT ("dedupeKey") DO NOTHING
         RETURNING ${columns}),
       earlier AS (SELECT ${columns} FROM "OutboxMessage" WHERE "dedupeKey" = ANY($1::text[]) AND "status" = 'pending')${alsoWith ? `,\n       ${alsoWith.cte}` : ""}
     SELECT * FROM queued UNION ALL SELECT * FROM earlier ORDER BY "id"`,
    values: [
      items.map((i) => i.dedupeKey),
      items.map((i) => i.channel),
      items.map((i) => i.chatId),
      items.map((i) => encodeMessage(i.message)),
      now.toISOString(),
      items.map((i) => i.meetingId ?? null),
      items.map((i) => i.memberId ?? null),
      ...(alsoWith?.values ?? []),
    ],
  };
}

const statements = new WeakMap<Database.Database, { insert: Database.Statement; find: Database.Statement }>();

function statementsFor(sqlite: Database.Database) {
  let s = statements.get(sqlite);
  if (!s) {
    s = {
      insert: sqlite.prepare(
        `INSERT INTO "OutboxMessage" ("dedupeKey", "channel", "chatId", "payload", "status", "attempts", "nextAttemptAt", "meetingId", "memberId", "createdAt")
         VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?) ON CONFLICT ("dedupeKey") DO NOTHING`,
      ),
      find: sqlite.prepare(`SELECT "id", "channel", "chatId", "payload", "attempts" FROM "OutboxMessage" WHERE "dedupeKey" = ? AND "status" = 'pending'`),
    };
    statements.set(sqlite, s);
  }
  return s;
}

/** Deletes sent or abandoned replies (rows tied to no meeting) created more than `days` ago; returns how many. */
export function pruneReplies(sqlite: Database.Database, days: number, now: Date = new Date()): number {
  return sqlite
    .prepare(`DELETE FROM "OutboxMessage" WHERE "meetingId" IS NULL AND "status" IN ('delivered', 'failed') AND "createdAt" < ?`)
    .run(sqliteTime(new Date(now.getTime() - days * 86_400_000))).changes;
}

/** pruneReplies on the store's engine (on PostgreSQL the shared database, not the local knowledge copy). */
export async function pruneOldReplies(store: Store, days: number, now: Date = new Date()): Promise<number> {
  if (store.engine === "sqlite") return pruneReplies(store.sqlite, days, now);
  const { count } = await store.prisma.outboxMessage.deleteMany({
    where: { meetingId: null, status: { in: ["delivered", "failed"] }, createdAt: { lt: new Date(now.getTime() - days * 86_400_000) } },
  });
  return count;
}

/** The meeting a platform message (a notice we sent to this chat) belongs to, if any. */
export async function meetingOfSentMessage(
  prisma: PrismaClient,
  channel: ChannelName,
  chatId: string,
  platformMessageId: string,
): Promise<number | null> {
  const row = await prisma.outboxMessage.findFirst({
    where: { channel, chatId, platformMessageId, meetingId: { not: null } },
    select: { meetingId: true },
  });
  return row?.meetingId ?? null;
}

/** Counts of outbox rows by status, for logs, benchmarks and tests. */
export async function outboxStatusCounts(prisma: PrismaClient): Promise<Record<string, number>> {
  const groups = await prisma.outboxMessage.groupBy({ by: ["status"], _count: { _all: true } });
  return Object.fromEntries(groups.map((g) => [g.status, g._count._all]));
}
