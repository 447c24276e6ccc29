/**
 * Members' attendance replies: the buttons under a notice ("att:<id>:present|absent", "pick:<id>")
 * and plain text ("1", "2 <lý do>", "vắng ..."), with the reason asked for after "vắng" and the
 * meeting asked for when several are coming. Confirmations with personal data go to the member's
 * private chat (private-replies.ts).
 */
import type { ConversationFeature } from "../conversation/types.js";
import { findLinkedMember } from "../members/identity.js";
import { meetingOfSentMessage } from "../outbox/outbox.js";
import { say, type MeetingsKit } from "./feature-kit.js";
import { deliverPrivately, privateChatOf } from "./private-replies.js";
import { parseAttendanceReply } from "./replies.js";
import { acceptsReplies, attendanceChoices, meetingView, setAbsenceReason, upcomingMeetings } from "./service.js";
import { clearState, readState, writeState } from "./state.js";
import { T } from "./strings.js";
import { formatMeetingTime } from "./time.js";

export function attendanceReplies(kit: MeetingsKit): Pick<ConversationFeature, "onChoice" | "onText"> {
  const { ctx, prisma, pending, zone, answer, pickChoices } = kit;
  return {
    async onChoice(message) {
      const value = message.choice ?? "";
      const att = /^att:(\d+):(present|absent)$/.exec(value);
      const pick = /^pick:(\d+)$/.exec(value);
      if (!att && !pick) return null;
      const member = await findLinkedMember(prisma, message.channel, message.userId);
      if (!member) return say(T.notRegistered);
      const id = Number((att ?? pick)![1]);
      const meeting = await prisma.meeting.findUnique({ where: { id }, include: { organization: true } });
      if (!meeting || meeting.organizationId !== member.organizationId) return say(T.meetingNotFound(id));
      // Attendance is the member's own business: from a group, the conversation moves to the private chat.
      const home = await privateChatOf(prisma, message);
      if (home === null) return say(T.noPrivateChat(message.channel));
      if (att) return deliverPrivately(ctx, message, home, await answer(message, home, member, meeting, att[2] as "present" | "absent", undefined));
      const state = await readState(pending, message.channel, message.chatId);
      if (state?.kind !== "choose-meeting") return deliverPrivately(ctx, message, home, say(T.nudge(meetingView(ctx, meeting)), attendanceChoices(meeting.id)));
      return deliverPrivately(ctx, message, home, await answer(message, home, member, meeting, state.response, state.reason));
    },

    async onText(message) {
      const text = message.text.trim();
      if (message.kind !== "text" || !text || text.startsWith("/")) return null;
      const state = await readState(pending, message.channel, message.chatId);
      let reply = parseAttendanceReply(text);
      // Most texts are questions for the handbook: no reply and nothing awaited, so no member lookup.
      if (!reply && !state) return null;
      const member = await findLinkedMember(prisma, message.channel, message.userId);
      if (!member) return null;

      if (state?.kind === "await-reason" && !reply) {
        // A question asked instead of a reason goes to the Q&A; the reason is still awaited.
        if (text.includes("?")) return null;
        await clearState(pending, message.channel, message.chatId);
        const meeting = await prisma.meeting.findUnique({ where: { id: state.meetingId } });
        if (!meeting || !acceptsReplies(ctx, meeting) || meeting.timeVersion !== state.timeVersion) return say(T.tooLate(state.meetingId));
        await setAbsenceReason(ctx, meeting.id, member.id, text);
        return say(T.reasonSaved(meeting.id, text));
      }
      if (state?.kind === "choose-meeting" && !reply) {
        const id = /^#?(\d{1,9})$/.exec(text);
        if (id) reply = state.response === "present" ? { response: "present", meetingId: Number(id[1]) } : { response: "absent", reason: state.reason, meetingId: Number(id[1]) };
      }
      if (!reply) return null;

      const upcoming = await upcomingMeetings(ctx, member.organizationId);
      const repliedTo = message.replyToMessageId
        ? await meetingOfSentMessage(prisma, message.channel, message.chatId, message.replyToMessageId)
        : null;
      const wanted = reply.meetingId ?? repliedTo ?? undefined;
      if (upcoming.length === 0 && wanted === undefined) return null; // not a reply after all: a question
      const reason = reply.response === "absent" ? reply.reason : undefined;
      // A reply written in a group is recorded, but the confirmation (with the reason) goes to the private chat.
      const home = await privateChatOf(prisma, message);
      if (home === null) return say(T.noPrivateChat(message.channel));

      if (wanted !== undefined) {
        const meeting = upcoming.find((m) => m.id === wanted);
        if (meeting) return deliverPrivately(ctx, message, home, await answer(message, home, member, meeting, reply.response, reason));
        const own = await prisma.meeting.findFirst({ where: { id: wanted, organizationId: member.organizationId } });
        return say(own ? T.tooLate(wanted) : T.noSuchUpcoming(wanted));
      }
      if (upcoming.length === 1) return deliverPrivately(ctx, message, home, await answer(message, home, member, upcoming[0]!, reply.response, reason));
      await writeState(pending, message.channel, home, { kind: "choose-meeting", response: reply.response, reason });
      const list = upcoming.map((m) => `• #${m.id} ${formatMeetingTime(m.startsAt, zone)} — ${m.location}`).join("\n");
      return deliverPrivately(ctx, message, home, say(T.whichMeeting(list), pickChoices(upcoming)));
    },
  };
}
