/**
 * The members' meeting commands: /dangky (link this chat account with an invite code, guarded
 * against guessing: members/registration.ts) and /lichhop (the cell's coming meetings with the
 * member's own answers, in the private chat).
 */
import type { ChannelName, ConversationFeature } from "../conversation/types.js";
import { findLinkedMember } from "../members/identity.js";
import { voidInvite } from "../members/invites.js";
import type { Registration, RegistrationOutcome } from "../members/registration.js";
import { say, type MeetingsKit } from "./feature-kit.js";
import { deliverPrivately, fromGroup, privateChatOf } from "./private-replies.js";
import { currentAnswers, upcomingMeetings } from "./service.js";
import { T } from "./strings.js";
import { formatMeetingTime } from "./time.js";

/** What the member is told when /dangky did not link the account. */
function refusalText(outcome: Exclude<RegistrationOutcome, { ok: true }>): string {
  const locked = (scope: "account" | "everyone", minutes: number) =>
    scope === "account" ? T.registerLockedAccount(minutes) : T.registerLockedEveryone(minutes);
  if (outcome.refusal === "locked") return locked(outcome.scope, outcome.minutes);
  return outcome.lockedNow ? `${T.registerInvalid}\n${locked(outcome.lockedNow.scope, outcome.lockedNow.minutes)}` : T.registerInvalid;
}

export function memberCommands(kit: MeetingsKit, registration: Registration, noticeChannels: readonly ChannelName[]): NonNullable<ConversationFeature["commands"]> {
  const { ctx, prisma, zone } = kit;
  return {
    async dangky(message, args) {
      const code = args.trim();
      if (!code) return say(T.registerUsage);
      if (!noticeChannels.includes(message.channel)) return say(T.registerElsewhere(noticeChannels));
      // Notices go to the chat the account was linked from, so it must be the member's private chat,
      // whose id is the user's own on every channel that delivers notices. A code typed in a group
      // has been read by others: it is voided (silently, so this cannot be used to test codes).
      if (fromGroup(message)) {
        await voidInvite(prisma, code, ctx.clock());
        return say(T.registerPrivately);
      }
      const outcome = await registration.attempt({ code, channel: message.channel, userId: message.userId, chatId: message.chatId, now: ctx.clock() });
      if (!outcome.ok) return say(refusalText(outcome));
      const member = await prisma.member.findUniqueOrThrow({ where: { id: outcome.memberId }, include: { organization: true } });
      const upcoming = await upcomingMeetings(ctx, member.organizationId);
      const lines = [T.registered(member.fullName, member.organization.name)];
      if (outcome.unlinked > 0) lines.push(T.replacedAccounts(outcome.unlinked));
      if (upcoming.length > 0) lines.push(T.upcomingHint(upcoming.length));
      return say(lines.join("\n"));
    },

    async lichhop(message) {
      const member = await findLinkedMember(prisma, message.channel, message.userId);
      if (!member) return say(T.notRegistered);
      const upcoming = await upcomingMeetings(ctx, member.organizationId);
      if (upcoming.length === 0) return say(T.noUpcoming);
      // The member's own answers are personal: asked in a group, they go to the private chat.
      const home = await privateChatOf(prisma, message);
      if (home === null) return say(T.noPrivateChat(message.channel));
      const answers = await currentAnswers(ctx, upcoming, member.id);
      const lines = [T.upcomingTitle];
      for (const m of upcoming) {
        lines.push(`• #${m.id} ${formatMeetingTime(m.startsAt, zone)} — ${m.location}: ${m.agenda} (${T.yourAnswer(answers.get(m.id) ?? null)})`);
      }
      return deliverPrivately(ctx, message, home, say(lines.join("\n")));
    },
  };
}
