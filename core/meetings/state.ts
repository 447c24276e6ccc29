/**
 * The meetings feature's pending conversation state per chat (ConversationState row):
 * "waiting for an absence reason" or "waiting to know which meeting a reply is for".
 * Rows written by other features (data.feature !== "meetings") are never read as ours.
 */
import type { PrismaClient } from "@prisma/client";
import type { ChannelName } from "../conversation/types.js";

export type PendingState =
  | { kind: "await-reason"; meetingId: number; timeVersion: number }
  | { kind: "choose-meeting"; response: "present" | "absent"; reason?: string };

const FEATURE = "meetings";
const TTL_MS = 60 * 60_000;

/** The chat's pending meetings state, or null (none, expired, or another feature's). */
export async function readState(prisma: PrismaClient, channel: ChannelName, chatId: string, now: Date): Promise<PendingState | null> {
  const row = await prisma.conversationState.findUnique({ where: { channel_chatId: { channel, chatId } } });
  if (!row || row.expiresAt.getTime() <= now.getTime()) return null;
  try {
    const data = JSON.parse(row.data) as { feature?: string; state?: PendingState };
    return data.feature === FEATURE && data.state ? data.state : null;
  } catch {
    return null;
  }
}

/** Saves the chat's pending state for an hour. */
export async function writeState(prisma: PrismaClient, channel: ChannelName, chatId: string, state: PendingState, now: Date): Promise<void> {
  const data = JSON.stringify({ feature: FEATURE, state });
  const expiresAt = new Date(now.getTime() + TTL_MS);
  await prisma.conversationState.upsert({
    where: { channel_chatId: { channel, chatId } },
    create: { channel, chatId, data, expiresAt },
    update: { data, expiresAt },
  });
}

/** Removes the chat's pending state if it is ours. */
export async function clearState(prisma: PrismaClient, channel: ChannelName, chatId: string): Promise<void> {
  await prisma.conversationState.deleteMany({ where: { channel, chatId, data: { contains: `"feature":"${FEATURE}"` } } });
}
