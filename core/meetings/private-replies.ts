/**
 * Replies with personal data (the roll with absence reasons, a member's own answers)
 * never go to a group. Asked for in a group, they are queued through the outbox to the
 * asker's private chat with the bot on the same channel, and the group gets one line
 * saying so; without such a private chat (privateChatOf → null) the caller tells the
 * group that (T.noPrivateChat), and nothing more.
 * A private chat is the one an account was linked from (/dangky is only accepted there):
 * its chat id is the user's own id on every channel that has groups.
 *
 *   const home = await privateChatOf(prisma, message);
 *   return deliverPrivately(ctx, message, home, say(rollText));
 */
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import type { IncomingMessage, OutgoingMessage } from "../conversation/types.js";
import { enqueue } from "../outbox/outbox.js";
import type { MeetingsContext } from "./service.js";
import { T } from "./strings.js";

/** True for a message written in a group (any chat that is not the sender's own). */
export function fromGroup(message: IncomingMessage): boolean {
  return message.chatId !== message.userId;
}

/** Where the asker's personal replies go: this chat when private, else their linked private chat on this channel (null: none). */
export async function privateChatOf(prisma: PrismaClient, message: IncomingMessage): Promise<string | null> {
  if (!fromGroup(message)) return message.chatId;
  const identity = await prisma.chatIdentity.findUnique({
    where: { channel_platformUserId: { channel: message.channel, platformUserId: message.userId } },
  });
  return identity && identity.chatId === identity.platformUserId ? identity.chatId : null;
}

/**
 * Delivers `replies` to `privateChat` (from privateChatOf): returned as the answer when that is the chat
 * asked in; otherwise queued for it (one outbox row per message, keyed by the asking
 * message, so a redelivered update queues nothing twice) with one line for the group.
 */
export async function deliverPrivately(
  ctx: MeetingsContext,
  message: IncomingMessage,
  privateChat: string,
  replies: OutgoingMessage[],
): Promise<OutgoingMessage[]> {
  if (privateChat === message.chatId) return replies;
  // A button press carries the id of the message the button is on, not its own: such presses get a fresh key.
  const asked = message.kind === "text" && message.messageId ? message.messageId : randomUUID();
  await enqueue(
    ctx.prisma,
    replies.map((reply, i) => ({
      dedupeKey: `private:${message.channel}:${message.chatId}:${asked}:${i}`,
      channel: message.channel,
      chatId: privateChat,
      message: reply,
    })),
    ctx.clock(),
  );
  return [{ text: T.sentPrivately }];
}
