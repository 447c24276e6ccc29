/**
 * Who is writing: the member linked to a chat account, with their cell.
 */
import type { PrismaClient } from "@prisma/client";
import type { ChannelName } from "../conversation/types.js";

/** The active member linked to (channel, platform user id), with their organisation; null if unregistered. */
export async function findLinkedMember(prisma: PrismaClient, channel: ChannelName, userId: string) {
  const identity = await prisma.chatIdentity.findUnique({
    where: { channel_platformUserId: { channel, platformUserId: userId } },
    include: { member: { include: { organization: true } } },
  });
  if (!identity || !identity.member.active) return null;
  return identity.member;
}

export type LinkedMember = NonNullable<Awaited<ReturnType<typeof findLinkedMember>>>;
