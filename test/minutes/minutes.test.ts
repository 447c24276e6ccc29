/**
 * Meeting minutes: /bienban asks for the chair and the secretary (buttons or typed names), then
 * sends the draft as a DOCX (a Telegram document through the fake Bot API; a one-time link on Zalo),
 * which is opened and read back here; the admin CLI writes the same draft. Only the cell's
 * officers may draft it.
 */
import fs from "node:fs";
import path from "node:path";
import mammoth from "mammoth";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAdmin } from "../../bot/cli/admin.js";
import { createFileLinks } from "../../bot/files/links.js";
import type { Conversation } from "../../core/conversation/conversation.js";
import { createDownloadLinks, type DownloadLinks } from "../../core/files/download-links.js";
import { createMeetingsFeature } from "../../core/meetings/feature.js";
import { createMinutesFeature } from "../../core/minutes/feature.js";
import { startFakeApi, type FakeApi } from "../channels/support/fake-api.js";
import { addMember, openTestEnv, type TestEnv } from "../meetings/helpers.js";
import { conversationWith, joined, realDelivery, tg } from "../study/support.js";

let env: TestEnv;
let telegramApi: FakeApi;
let zaloApi: FakeApi;
let conversation: Conversation;
let delivery: ReturnType<typeof realDelivery>;
let downloads: DownloadLinks;

beforeEach(async () => {
  env = await openTestEnv();
  telegramApi = await startFakeApi("telegram");
  zaloApi = await startFakeApi("zalo");
  const deps = { prisma: env.store.prisma, config: env.config, state: env.state, clock: env.clock.now };
  conversation = conversationWith([createMinutesFeature(deps), createMeetingsFeature(deps)]);
  downloads = createDownloadLinks(env.store.prisma, { ttlMinutes: 60, clock: env.clock.now });
  delivery = realDelivery({ telegram: telegramApi, zalo: zaloApi, state: env.state, store: env.store, clock: env.clock, fileLinks: createFileLinks(downloads, "https://bot.example.org") });
});
afterEach(async () => {
  await telegramApi.close();
  await zaloApi.close();
  await env.cleanup();
});

const say = async (userId: string, input: { text?: string; choice?: string }) => joined(await conversation.handle(tg(userId, input)));
const text = async (file: Uint8Array) => (await mammoth.extractRawText({ buffer: Buffer.from(file) })).value;

async function heldMeeting() {
  const s = env.store;
  const bi = await addMember(s, { name: "Nguyễn Văn Bí", cell: "Chi bộ Khu phố 3", role: "bi_thu", link: { channel: "telegram", userId: "100" } });
  await addMember(s, { name: "Trần Thị Hai", cell: "Chi bộ Khu phố 3", link: { channel: "telegram", userId: "101" } });
  await addMember(s, { name: "Lê Văn Ba", cell: "Chi bộ Khu phố 3", role: "pho_bi_thu", link: { channel: "zalo", userId: "z-102" } });
  await addMember(s, { name: "Phạm Bốn", cell: "Chi bộ Khu phố 3", link: { channel: "telegram", userId: "103" } });
  await addMember(s, { name: "Hoàng Năm", cell: "Chi bộ 2", role: "bi_thu", link: { channel: "telegram", userId: "200" } });
  await say("100", { text: "/hop 2026-12-04 19:30 | Hội trường khu phố 3 | Sinh hoạt chi bộ định kỳ tháng 12" });
  await say("100", { text: "1" });
  await say("101", { text: "vắng, đi công tác Đà Nẵng" });
  await conversation.handle({ channel: "zalo", chatId: "z-102", userId: "z-102", text: "có mặt", kind: "text" });
  env.clock.ms = Date.parse("2026-12-04T14:00:00Z"); // after the meeting
  return bi;
}

describe("drafting the minutes", () => {
  it("asks for the chair and the secretary, then sends the DOCX as a Telegram document that reads like the minutes", async () => {
    await heldMeeting();
    const ask = await conversation.handle(tg("100", { text: "/bienban 1" }));
    expect(ask[0]!.text).toContain("Ai chủ trì?");
    expect(ask[0]!.choices!.map((c) => c.label)).toEqual(["Lê Văn Ba", "Nguyễn Văn Bí", "Để trống (ghi tay)"]);
    const chair = ask[0]!.choices![1]!.value;
    expect(await say("100", { choice: chair })).toContain("Ai làm thư ký?");
    await delivery.telegramChat(conversation, tg("100", { text: "Trần Văn Thư Ký" }));
    expect(telegramApi.calls("sendMessage").at(-1)!.text).toContain("Dự thảo biên bản cuộc họp #1");
    const [doc] = telegramApi.calls("sendDocument") as { chat_id: string; document: { fileName: string; content: Buffer } }[];
    expect(doc!.chat_id).toBe("100");
    expect(doc!.document.fileName).toBe("bien-ban-hop-1-2026-12-04.docx");
    const minutes = await text(doc!.document.content);
    for (const part of [
      "ĐẢNG CỘNG SẢN VIỆT NAM",
      "CHI BỘ KHU PHỐ 3",
      "BIÊN BẢN",
      "Sinh hoạt chi bộ: Sinh hoạt chi bộ định kỳ tháng 12",
      "bắt đầu lúc 19 giờ 30 phút, Thứ Sáu, ngày 04 tháng 12 năm 2026.",
      "Địa điểm: Hội trường khu phố 3.",
      "Chủ trì: đồng chí Nguyễn Văn Bí",
      "Thư ký: đồng chí Trần Văn Thư Ký",
      "Tổng số đảng viên của chi bộ: 4; có mặt: 2; vắng mặt: 1; chưa xác nhận: 1.",
      "1. Lê Văn Ba",
      "1. Trần Thị Hai — đi công tác Đà Nẵng",
      "1. Phạm Bốn: có mặt ☐  vắng ☐",
      "III. DIỄN BIẾN, Ý KIẾN THẢO LUẬN",
      "IV. KẾT LUẬN, NGHỊ QUYẾT",
      "THƯ KÝ",
      "CHỦ TRÌ",
    ]) {
      expect(minutes, part).toContain(part);
    }
  });

  it("takes the names inline, and on Zalo gives a one-time link to the same document", async () => {
    await heldMeeting();
    const sent = await delivery.zaloChat(conversation, "z-102", "/bienban 1 | Nguyễn Văn Bí | Lê Văn Ba");
    expect(sent).toContain("Dự thảo biên bản cuộc họp #1");
    const token = /https:\/\/bot\.example\.org\/files\/([A-Za-z0-9_-]+)/.exec(sent)![1]!;
    const file = await downloads.claim(token);
    expect(await text(file!.content)).toContain("Thư ký: đồng chí Lê Văn Ba");
    expect(await downloads.claim(token)).toBeNull();
  });

  it("is written by the admin CLI too", async () => {
    await heldMeeting();
    const out = path.join(env.dir, "bb.docx");
    const lines: string[] = [];
    const io = { out: { write: (t: string) => lines.push(t) }, err: { write: (t: string) => lines.push(t) } };
    expect(await runAdmin(["minutes", "1", "--chair", "Nguyễn Văn Bí", "--out", out], { DATA_DIR: env.dir, DATABASE_URL: env.config.DATABASE_URL, LOG_LEVEL: "silent" }, io)).toBe(0);
    const minutes = await text(fs.readFileSync(out));
    expect(minutes).toContain("Chủ trì: đồng chí Nguyễn Văn Bí");
    expect(minutes).toContain("Thư ký: đồng chí ......");
    expect(await runAdmin(["minutes", "99"], { DATA_DIR: env.dir, DATABASE_URL: env.config.DATABASE_URL, LOG_LEVEL: "silent" }, io)).toBe(1);
    expect(lines.join("")).toContain("No meeting with id 99");
  });

  it("refuses plain members and other cells' officers", async () => {
    await heldMeeting();
    expect(await say("101", { text: "/bienban 1" })).toContain("Chỉ Bí thư, Phó Bí thư");
    expect(await say("200", { text: "/bienban 1" })).toContain("Không tìm thấy cuộc họp #1");
    expect(await say("200", { choice: "mn:c:1:1" })).toContain("Không tìm thấy cuộc họp #1");
    expect(await say("101", { choice: "mn:s:1:1" })).toContain("Chỉ Bí thư, Phó Bí thư");
    expect(await say("999", { text: "/bienban 1" })).toContain("/dangky");
    expect(telegramApi.calls("sendDocument")).toHaveLength(0);
  });
});
