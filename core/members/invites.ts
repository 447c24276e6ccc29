/**
 * One-time registration codes. A code is 8 characters from an alphabet without
 * look-alikes (no 0/O, 1/I/L), shown to the member once; only its SHA-256 is stored.
 * Redeeming links a chat account (channel + platform user id) to the member.
 */
import { createHash, randomInt } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import type { ChannelName } from "../conversation/types.js";

/** 31 symbols that are hard to confuse when read aloud or typed on a phone. */
export const INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const INVITE_LENGTH = 8;

/** A fresh random code, e.g. "K7MQ2XHD". */
function generateInviteCode(): string {
  let code = "";
  for (let i = 0; i < INVITE_LENGTH; i++) code += INVITE_ALPHABET[randomInt(INVITE_ALPHABET.length)];
  return code;
}

/** Canonical form of a typed code: upper case, without spaces or dashes. */
function normalizeInviteCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s\-_.]/g, "");
}

/** The stored hash of a code (after normalisation, so "k7mq-2xhd" matches "K7MQ2XHD"). */
export function hashInviteCode(code: string): string {
  return createHash("sha256").update(normalizeInviteCode(code)).digest("hex");
}

/**
 * Issues a new code for a member and voids the member's earlier unused codes. With
 * `replaceLinks`, redeeming it unlinks the member's other chat accounts (a lost phone,
 * a new Zalo account): the old link stays valid until the new one is made.
 *
 *   const { code, expiresAt } = await issueInvite(prisma, member.id, { ttlHours: 72 });
 */
export async function issueInvite(
  prisma: PrismaClient,
  memberId: number,
  options: { ttlHours: number; now?: Date; replaceLinks?: boolean },
): Promise<{ code: string; expiresAt: Date }> {
  const now = options.now ?? new Date();
  const expiresAt = new Date(now.getTime() + options.ttlHours * 3600_000);
  const code = generateInviteCode();
  await prisma.$transaction([
    prisma.inviteCode.deleteMany({ where: { memberId, usedAt: null } }),
    prisma.inviteCode.create({ data: { memberId, codeHash: hashInviteCode(code), expiresAt, replaceLinks: options.replaceLinks ?? false } }),
  ]);
  return { code, expiresAt };
}

/** Why a code was not accepted; callers show one reply for all three (no hint that a code existed). */
export type RedeemFailure = "unknown" | "used" | "expired";

export type RedeemResult = { ok: true; memberId: number; unlinked: number } | { ok: false; reason: RedeemFailure };

/**
 * Redeems a code for a chat account: single use (the claim is one conditional UPDATE,
 * so two simultaneous redemptions cannot both win), then links the account and, for a
 * replacing code, unlinks the member's other accounts. One transaction: a code is never
 * used up without its link.
 */
export async function redeemInvite(
  prisma: PrismaClient,
  input: { code: string; channel: ChannelName; userId: string; chatId: string; now?: Date },
): Promise<RedeemResult> {
  const now = input.now ?? new Date();
  const codeHash = hashInviteCode(input.code);
  return prisma.$transaction(async (tx) => {
    const claimed = await tx.inviteCode.updateMany({
      where: { codeHash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    const invite = await tx.inviteCode.findUnique({ where: { codeHash } });
    if (!invite) return { ok: false, reason: "unknown" } as const;
    if (claimed.count === 0) return { ok: false, reason: invite.usedAt ? "used" : "expired" } as const;
    const { count: unlinked } = invite.replaceLinks
      ? await tx.chatIdentity.deleteMany({
          where: { memberId: invite.memberId, NOT: { channel: input.channel, platformUserId: input.userId } },
        })
      : { count: 0 };
    await tx.chatIdentity.upsert({
      where: { channel_platformUserId: { channel: input.channel, platformUserId: input.userId } },
      create: { memberId: invite.memberId, channel: input.channel, platformUserId: input.userId, chatId: input.chatId },
      update: { memberId: invite.memberId, chatId: input.chatId, linkedAt: now },
    });
    return { ok: true, memberId: invite.memberId, unlinked } as const;
  });
}

/**
 * Voids a code if it is a live one (it was typed where others could read it, e.g. in a
 * group); says nothing about whether it was, so this is no way to test codes.
 */
export async function voidInvite(prisma: PrismaClient, code: string, now: Date = new Date()): Promise<void> {
  await prisma.inviteCode.updateMany({ where: { codeHash: hashInviteCode(code), usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
}
