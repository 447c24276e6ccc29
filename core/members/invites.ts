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
 * Issues a new code for a member and voids the member's earlier unused codes.
 *
 *   const { code, expiresAt } = await issueInvite(prisma, member.id, { ttlHours: 72 });
 */
export async function issueInvite(
  prisma: PrismaClient,
  memberId: number,
  options: { ttlHours: number; now?: Date },
): Promise<{ code: string; expiresAt: Date }> {
  const now = options.now ?? new Date();
  const expiresAt = new Date(now.getTime() + options.ttlHours * 3600_000);
  const code = generateInviteCode();
  await prisma.$transaction([
    prisma.inviteCode.deleteMany({ where: { memberId, usedAt: null } }),
    prisma.inviteCode.create({ data: { memberId, codeHash: hashInviteCode(code), expiresAt } }),
  ]);
  return { code, expiresAt };
}

export type RedeemResult =
  | { ok: true; memberId: number }
  | { ok: false; reason: "unknown" | "used" | "expired" };

/**
 * Redeems a code for a chat account: single use (the claim is one conditional
 * UPDATE, so two simultaneous redemptions cannot both win), then links the account.
 */
export async function redeemInvite(
  prisma: PrismaClient,
  input: { code: string; channel: ChannelName; userId: string; chatId: string; now?: Date },
): Promise<RedeemResult> {
  const now = input.now ?? new Date();
  const codeHash = hashInviteCode(input.code);
  const claimed = await prisma.inviteCode.updateMany({
    where: { codeHash, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  const invite = await prisma.inviteCode.findUnique({ where: { codeHash } });
  if (!invite) return { ok: false, reason: "unknown" };
  if (claimed.count === 0) return { ok: false, reason: invite.usedAt ? "used" : "expired" };
  await prisma.chatIdentity.upsert({
    where: { channel_platformUserId: { channel: input.channel, platformUserId: input.userId } },
    create: { memberId: invite.memberId, channel: input.channel, platformUserId: input.userId, chatId: input.chatId },
    update: { memberId: invite.memberId, chatId: input.chatId, linkedAt: now },
  });
  return { ok: true, memberId: invite.memberId };
}
