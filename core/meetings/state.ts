/**
 * The meetings feature's pending conversation state per chat: "waiting for an absence
 * reason" or "waiting to know which meeting a reply is for". Kept in the conversation
 * core's state store under its own key, so it never meets other features' entries.
 */
import type { ConversationStateStore } from "../conversation/state-store.js";
import type { ChannelName } from "../conversation/types.js";

export type PendingState =
  | { kind: "await-reason"; meetingId: number; timeVersion: number }
  | { kind: "choose-meeting"; response: "present" | "absent"; reason?: string };

const KEY = "meetings.pending";
const TTL_SECONDS = 60 * 60;

/** The chat's pending meetings state, or null (none or expired). */
export async function readState(state: ConversationStateStore, channel: ChannelName, chatId: string): Promise<PendingState | null> {
  return (await state.get<PendingState>(channel, chatId, KEY)) ?? null;
}

/** Saves the chat's pending state for an hour. */
export async function writeState(state: ConversationStateStore, channel: ChannelName, chatId: string, pending: PendingState): Promise<void> {
  await state.set(channel, chatId, KEY, pending, TTL_SECONDS);
}

/** Removes the chat's pending state. */
export async function clearState(state: ConversationStateStore, channel: ChannelName, chatId: string): Promise<void> {
  await state.delete(channel, chatId, KEY);
}
