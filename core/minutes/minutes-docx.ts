/**
 * The draft minutes of a cell meeting as a DOCX: the party header, the cell, time and place, the
 * chair and secretary (or lines to fill), present and absent members with their reasons from the
 * roll, the agenda from the notice, and empty sections for the discussion and the resolution.
 *
 *   const file = await minutesDocx(ctx, meeting, { chair: "Nguyễn Văn A" });
 */
import { DateTime } from "luxon";
import type { OutgoingFile } from "../conversation/types.js";
import {
  DOCX_MIME,
  dateInWords,
  docxBytes,
  dottedLines,
  heading,
  item,
  listTitle,
  paragraph,
  partyDocument,
  partyHeader,
  signatures,
  title,
} from "../docx/party-document.js";
import { rollCall, type MeetingWithCell, type MeetingsContext } from "../meetings/service.js";
import { N } from "./strings.js";

export interface MinutesPeople {
  chair?: string;
  secretary?: string;
}

/** The DOCX of the meeting's draft minutes. */
export async function minutesDocx(ctx: MeetingsContext, meeting: MeetingWithCell, people: MinutesPeople = {}): Promise<OutgoingFile> {
  const zone = ctx.config.TIMEZONE;
  const at = DateTime.fromJSDate(meeting.startsAt, { zone });
  const roll = await rollCall(ctx, meeting);
  const present = roll.filter((r) => r.response === "present");
  const absent = roll.filter((r) => r.response === "absent");
  const unknown = roll.filter((r) => r.response === null);
  const parent = meeting.organization.parentId ? await ctx.prisma.organization.findUnique({ where: { id: meeting.organization.parentId } }) : null;
  const name = (n?: string) => (n?.trim() ? N.comrade(n.trim()) : N.blankName);
  const list = <T>(rows: T[], line: (r: T, i: number) => string) => (rows.length ? rows.map((r, i) => item(line(r, i))) : [item(N.none)]);

  const doc = partyDocument(
    [
      ...partyHeader({
        parent: N.parent(parent?.name ?? null),
        cell: N.cell(meeting.organization.name),
        placeAndDate: `.........., ${dateInWords(at)}`,
      }),
      ...title([N.title, N.subtitle(meeting.agenda)]),
      paragraph(N.time(at.toFormat("HH"), at.toFormat("mm"), N.weekdays[at.weekday]!, dateInWords(at)), N.timeLabel),
      paragraph(`${meeting.location}.`, N.place),
      paragraph(name(people.chair), N.chairLabel),
      paragraph(name(people.secretary), N.secretaryLabel),
      heading(N.attendance),
      paragraph(N.totals(roll.length, present.length, absent.length, unknown.length)),
      listTitle(N.presentList(present.length)),
      ...list(present, (r, i) => `${i + 1}. ${r.fullName}`),
      listTitle(N.absentList(absent.length)),
      ...list(absent, (r, i) => N.absentLine(i + 1, r.fullName, r.reason ?? N.noReason)),
      ...(unknown.length ? [listTitle(N.unknownList(unknown.length)), ...unknown.map((r, i) => item(`${i + 1}. ${r.fullName}: ${N.fillIn}`))] : []),
      heading(N.agenda),
      paragraph(meeting.agenda, N.agendaFromNotice),
      heading(N.discussion),
      ...dottedLines(8),
      heading(N.resolution),
      ...dottedLines(6),
      paragraph(N.vote),
      paragraph(N.end),
      ...signatures([
        { title: N.secretarySign, name: people.secretary?.trim() },
        { title: N.chairSign, name: people.chair?.trim() },
      ]),
    ],
    { title: N.fileTitle(meeting.id) },
  );
  return { fileName: `bien-ban-hop-${meeting.id}-${at.toFormat("yyyy-MM-dd")}.docx`, mimeType: DOCX_MIME, content: await docxBytes(doc) };
}
