/**
 * Zalo webhook bodies and getUpdates results at the edge: the body may be wrapped
 * ({ok, result}) or flat, and a zod schema per update kind the bot handles (messages)
 * lets nothing of the wrong shape through. Then a valid update → the core's
 * IncomingMessage. Ids are opaque: strings, or numbers taken as strings.
 *
 *   const read = readZaloUpdate(body);  // "invalid" → 400, "ignored" → 200, "update" → inbox
 *   toIncoming(read.update)
 */
import { z } from "zod";
import type { IncomingMessage } from "../../core/conversation/types.js";

const id = z.union([z.string().min(1), z.number().finite()]).transform(String);

const message = z.object({
  message_id: id,
  date: z.number().optional(),
  from: z
    .object({
      id: id.optional(),
      display_name: z.string().optional(),
      name: z.string().optional(),
      first_name: z.string().optional(),
      is_bot: z.boolean().optional(),
    })
    .optional(),
  chat: z.object({ id, chat_type: z.string().optional() }),
  text: z.string().optional(),
});

/** What every Zalo event has; a body without it is not a Zalo update. */
const envelope = z.object({ event_name: z.string() });
/** The one kind the bot handles: a message event (text, image, sticker, ...). */
const messageUpdate = envelope.extend({ message });

export type ZaloMessageUpdate = z.infer<typeof messageUpdate>;

export type ReadUpdate =
  | { kind: "invalid"; reason: string }
  | { kind: "ignored"; event: string; reason: string }
  | { kind: "update"; update: ZaloMessageUpdate; updateKey: string; chatKey: string };

/** The update inside a body of either shape (the body itself when it is not wrapped). */
function unwrap(body: unknown): unknown {
  if (!body || typeof body !== "object" || Array.isArray(body)) return body;
  const b = body as { ok?: unknown; result?: unknown };
  return b.ok === true && b.result && typeof b.result === "object" ? b.result : body;
}

/**
 * Classifies a webhook body or a polled update: not an update (invalid), one the bot
 * ignores (other events, its own echo, the wrong shape), or a message with its key
 * (Zalo has no update_id: the message_id is the key) and chat.
 */
export function readZaloUpdate(body: unknown): ReadUpdate {
  const inner = unwrap(body);
  const head = envelope.safeParse(inner);
  if (!head.success) return { kind: "invalid", reason: "not a Zalo update: event_name missing" };
  const event = head.data.event_name;
  if (!event.startsWith("message.") || event === "message.reaction.received") {
    return { kind: "ignored", event, reason: "an event the bot does not handle" };
  }
  const parsed = messageUpdate.safeParse(inner);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join(".")).slice(0, 5);
    return { kind: "ignored", event, reason: `malformed message (${where.join(", ")})` };
  }
  const update = parsed.data;
  if (update.message.from?.is_bot) return { kind: "ignored", event, reason: "the bot's own message" };
  return { kind: "update", update, updateKey: update.message.message_id, chatKey: update.message.chat.id };
}

/** A valid message update → IncomingMessage (kind "other" for images, stickers, ...). */
export function toIncoming(update: ZaloMessageUpdate): IncomingMessage {
  const m = update.message;
  const isText = update.event_name === "message.text.received" && m.text !== undefined;
  return {
    channel: "zalo",
    chatId: m.chat.id,
    userId: m.from?.id ?? m.chat.id,
    userName: m.from?.display_name ?? m.from?.name ?? m.from?.first_name,
    text: isText ? m.text! : "",
    messageId: m.message_id,
    kind: isText ? "text" : "other",
  };
}
