/**
 * Zalo webhook bodies and getUpdates results → ZaloUpdate → the core's IncomingMessage.
 * Lenient on purpose: the body may be wrapped ({ok, result}) or flat, and sender names
 * come under several keys.
 */
import type { IncomingMessage } from "../../core/conversation/types.js";
import type { ZaloUpdate } from "./types.js";

/** The update inside a webhook body of either shape, or null when it is not one. */
export function unwrapUpdate(body: unknown): ZaloUpdate | null {
  if (!body || typeof body !== "object") return null;
  const b = body as { ok?: unknown; result?: unknown; event_name?: unknown };
  const u = (b.ok === true && b.result && typeof b.result === "object" ? b.result : body) as { event_name?: unknown };
  return typeof u.event_name === "string" ? (u as ZaloUpdate) : null;
}

/** The key an update is de-duplicated on (Zalo has no update_id), or null when it has none. */
function updateKey(update: ZaloUpdate): string | null {
  const id = update.message?.message_id;
  return typeof id === "string" || typeof id === "number" ? String(id) : null;
}

/**
 * An update → IncomingMessage; null for updates that need no reply (no message, the
 * bot's own echo, reactions and other non-message events).
 */
export function toIncoming(update: ZaloUpdate): IncomingMessage | null {
  const m = update.message;
  if (!m || !m.chat || m.chat.id === undefined || m.from?.is_bot) return null;
  if (!update.event_name.startsWith("message.") || update.event_name === "message.reaction.received") return null;
  const isText = update.event_name === "message.text.received" && typeof m.text === "string";
  return {
    channel: "zalo",
    chatId: String(m.chat.id),
    userId: String(m.from?.id ?? m.chat.id),
    userName: m.from?.display_name ?? m.from?.name ?? m.from?.first_name,
    text: isText ? (m.text as string) : "",
    messageId: updateKey(update) ?? undefined,
    kind: isText ? "text" : "other",
  };
}
