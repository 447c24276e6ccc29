/**
 * Zalo has no buttons: choices go out as numbered lines, and are remembered per chat so
 * that a later reply "2" becomes a button press for the core.
 */
import type { ConversationStateStore } from "../../core/conversation/state-store.js";
import type { Choice, IncomingMessage } from "../../core/conversation/types.js";
import type { ChoiceMemory } from "./sender.js";
import { pickNumberedChoice } from "./render.js";

const KEY = "zalo.choices";
/** How long a numbered menu stays answerable. */
const TTL_SECONDS = 3 * 24 * 3600;

/** A ChoiceMemory over the conversation state store (give it to every Zalo sender). */
export function zaloChoiceMemory(state: ConversationStateStore): ChoiceMemory {
  return {
    async remember(channel, chatId, choices) {
      await state.set(channel, chatId, KEY, choices, TTL_SECONDS);
    },
  };
}

/** Turns a numeric reply to the last menu into a choice message; other messages pass unchanged. */
export async function resolveNumberedReply(state: ConversationStateStore, message: IncomingMessage): Promise<IncomingMessage> {
  if (message.kind !== "text") return message;
  const offered = await state.get<Choice[]>("zalo", message.chatId, KEY);
  if (!offered?.length) return message;
  const picked = pickNumberedChoice(message.text, offered);
  if (!picked) return message;
  await state.delete("zalo", message.chatId, KEY);
  return { ...message, kind: "choice", choice: picked.value };
}
