/**
 * The minutes ConversationFeature: /bienban [id] [| chair | secretary] drafts the minutes of a
 * cell meeting as a DOCX (sent as a file; on Zalo as a one-time link, by the adapter). Without
 * names it asks for the chair, then the secretary: buttons for the cell's officers and the members
 * who said they would attend, a blank choice, or a typed name. Choice values: "mn:c:<meeting>:<member|0>",
 * "mn:s:<meeting>:<member|0>". Only officers who manage the meeting's cell may draft its minutes.
 *
 *   const feature = createMinutesFeature({ prisma, config, state });
 */
import type { PrismaClient } from "@prisma/client";
import type { Config } from "../config.js";
import type { ConversationStateStore } from "../conversation/state-store.js";
import type { Choice, ConversationFeature, IncomingMessage, OutgoingMessage } from "../conversation/types.js";
import { findLinkedMember, type LinkedMember } from "../members/identity.js";
import { canManageOrganization } from "../members/permissions.js";
import { managesMeetings } from "../members/roles.js";
import { latestMeeting, rollCall, type MeetingWithCell, type MeetingsContext } from "../meetings/service.js";
import { minutesDocx } from "./minutes-docx.js";
import { N } from "./strings.js";

export interface MinutesFeatureOptions {
  prisma: PrismaClient;
  config: Pick<Config, "TIMEZONE" | "REMINDER_OFFSETS">;
  state: ConversationStateStore;
  clock?: () => Date;
}

interface Pending {
  meetingId: number;
  step: "chair" | "secretary";
  chair?: string;
}
const KEY = "minutes.pending";
const TTL_SECONDS = 30 * 60;

const say = (text: string, choices?: Choice[]): OutgoingMessage[] => [choices?.length ? { text, choices } : { text }];

/** Creates the feature; see the module comment. */
export function createMinutesFeature(options: MinutesFeatureOptions): ConversationFeature {
  const ctx: MeetingsContext = { prisma: options.prisma, config: options.config, clock: options.clock ?? (() => new Date()) };
  const { prisma } = ctx;

  async function officer(message: IncomingMessage): Promise<LinkedMember | OutgoingMessage[]> {
    const m = await findLinkedMember(prisma, message.channel, message.userId);
    if (!m) return say(N.notRegistered);
    return managesMeetings(m.role) ? m : say(N.notOfficer);
  }

  /** A meeting the officer manages; another cell's is reported like a missing one. */
  async function managed(m: LinkedMember, id: number): Promise<MeetingWithCell | OutgoingMessage[]> {
    const meeting = await prisma.meeting.findUnique({ where: { id }, include: { organization: true } });
    if (!meeting || !(await canManageOrganization(prisma, m, meeting.organizationId))) return say(N.notFound(id));
    return meeting.status === "cancelled" ? say(N.cancelled(id)) : meeting;
  }

  /** The cell's officers first, then members who said they would attend (at most 8 in all), and "blank". */
  async function people(meeting: MeetingWithCell, step: "c" | "s"): Promise<Choice[]> {
    const roll = await rollCall(ctx, meeting);
    const ranked = [...roll.filter((r) => managesMeetings(r.role)), ...roll.filter((r) => !managesMeetings(r.role) && r.response === "present")];
    const unique = ranked.filter((r, i) => ranked.findIndex((x) => x.memberId === r.memberId) === i).slice(0, 8);
    return [...unique.map((r) => ({ label: r.fullName, value: `mn:${step}:${meeting.id}:${r.memberId}` })), { label: N.blankLabel, value: `mn:${step}:${meeting.id}:0` }];
  }

  async function draft(message: IncomingMessage, meeting: MeetingWithCell, chair?: string, secretary?: string): Promise<OutgoingMessage[]> {
    await options.state.delete(message.channel, message.chatId, KEY);
    const file = await minutesDocx(ctx, meeting, { chair, secretary });
    return [{ text: N.ready(meeting.id), file }];
  }

  async function askSecretary(message: IncomingMessage, meeting: MeetingWithCell, chair: string): Promise<OutgoingMessage[]> {
    await options.state.set(message.channel, message.chatId, KEY, { meetingId: meeting.id, step: "secretary", chair } satisfies Pending, TTL_SECONDS);
    return say(N.askSecretary(chair), await people(meeting, "s"));
  }

  const nameOf = async (memberId: number) => (memberId ? ((await prisma.member.findUnique({ where: { id: memberId } }))?.fullName ?? "") : "");

  return {
    name: "minutes",
    helpLines: N.help,
    needsAccount: true,
    commands: {
      async bienban(message, args) {
        const m = await officer(message);
        if (Array.isArray(m)) return m;
        const [idText = "", chair, secretary] = args.split("|").map((s) => s.trim());
        if (idText && !/^#?\d{1,9}$/.test(idText)) return say(N.usage);
        let meeting: MeetingWithCell | OutgoingMessage[] | null;
        if (idText) meeting = await managed(m, Number(idText.replace("#", "")));
        else meeting = await latestMeeting(ctx, m.organizationId);
        if (!meeting) return say(N.noMeetings);
        if (Array.isArray(meeting)) return meeting;
        if (chair !== undefined && secretary !== undefined) return draft(message, meeting, chair, secretary);
        if (chair !== undefined) return askSecretary(message, meeting, chair);
        await options.state.set(message.channel, message.chatId, KEY, { meetingId: meeting.id, step: "chair" } satisfies Pending, TTL_SECONDS);
        return say(N.askChair(meeting.id), await people(meeting, "c"));
      },
    },

    async onChoice(message) {
      const v = /^mn:(c|s):(\d{1,9}):(\d{1,9})$/.exec(message.choice ?? "");
      if (!v) return null;
      const m = await officer(message);
      if (Array.isArray(m)) return m;
      const meeting = await managed(m, Number(v[2]));
      if (Array.isArray(meeting)) return meeting;
      const name = await nameOf(Number(v[3]));
      if (v[1] === "c") return askSecretary(message, meeting, name);
      const pending = await options.state.get<Pending>(message.channel, message.chatId, KEY);
      if (pending?.meetingId !== meeting.id || pending.step !== "secretary") return say(N.expired);
      return draft(message, meeting, pending.chair, name);
    },

    async onText(message) {
      const text = message.text.trim();
      if (message.kind !== "text" || !text || text.startsWith("/")) return null;
      const pending = await options.state.get<Pending>(message.channel, message.chatId, KEY);
      // A question asked meanwhile is not a name: it goes to the Q&A, and the name is still awaited.
      if (!pending || text.includes("?") || text.length > 80) return null;
      const m = await officer(message);
      if (Array.isArray(m)) return null;
      const meeting = await managed(m, pending.meetingId);
      if (Array.isArray(meeting)) return meeting;
      return pending.step === "chair" ? askSecretary(message, meeting, text) : draft(message, meeting, pending.chair, text);
    },
  };
}
