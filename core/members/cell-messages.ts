/**
 * Messages to a cell's members through the outbox (meeting notices and reminders, study tasks,
 * evaluation rounds): the linked active members, and one outbox row per chat identity whose
 * dedupeKey ends with the recipient, so re-running a fan-out queues nobody twice.
 *
 *   const { linked, unlinked } = await cellMembers(prisma, cellId);
 *   await queueForMembers(prisma, "study-notice:7", message, linked, now);
 */
import type { PrismaClient } from "@prisma/client";
import type { ChannelName, OutgoingMessage } from "../conversation/types.js";
import { enqueue, type OutboxItem } from "../outbox/outbox.js";

/** Active members of the cell with their chat identities, split into linked and unlinked. */
export async function cellMembers(prisma: PrismaClient, organizationId: number) {
  const members = await prisma.member.findMany({
    where: { organizationId, active: true },
    include: { identities: true },
    orderBy: { id: "asc" },
  });
  return { linked: members.filter((m) => m.identities.length > 0), unlinked: members.filter((m) => m.identities.length === 0) };
}

/** A cell member with at least one linked chat account (a recipient). */
export type CellRecipient = Awaited<ReturnType<typeof cellMembers>>["linked"][number];

/**
 * Queues `message` (or a message per member) for each identity of `members`; returns how many members.
 * `meetingId` ties the rows to a meeting (a reply to the notice then names it; its rows are kept with it).
 */
export async function queueForMembers(
  prisma: PrismaClient,
  key: string,
  message: OutgoingMessage | ((member: CellRecipient) => OutgoingMessage),
  members: CellRecipient[],
  now: Date,
  meetingId?: number,
): Promise<number> {
  const items: OutboxItem[] = [];
  for (const member of members) {
    const body = typeof message === "function" ? message(member) : message;
    for (const identity of member.identities) {
      items.push({
        dedupeKey: `${key}:m${member.id}:i${identity.id}`,
        channel: identity.channel as ChannelName,
        chatId: identity.chatId,
        message: body,
        ...(meetingId !== undefined ? { meetingId } : {}),
        memberId: member.id,
      });
    }
  }
  await enqueue(prisma, items, now);
  return members.length;
}
