/**
 * The document library end to end (issue 11 §1-2), through the real server with the product's
 * extensions, the fake Telegram and Zalo APIs and the web chat endpoint: /tailieu and outlines,
 * exact references (and ones that do not exist) answered without the search, long sections in
 * parts sized to each platform with "Xem tiếp", and documents replaced by others.
 */
import { afterEach, describe, expect, it } from "vitest";
import { loadExtensions } from "../../bot/extensions.js";
import { TELEGRAM_TEXT_LIMIT } from "../../bot/telegram/render.js";
import { ZALO_TEXT_LIMIT } from "../../bot/zalo/render.js";
import { collapseSpace } from "../../core/text/vietnamese.js";
import { startFakeApi, type FakeApi } from "../channels/support/fake-api.js";
import { startHarness, type Harness } from "../channels/support/harness.js";
import { LIBRARY_FILES, LONG_ARTICLE_CLAUSES } from "./fixtures.js";

let h: Harness | undefined;
let fake: FakeApi | undefined;
afterEach(async () => {
  await h?.close().catch(() => undefined);
  await fake?.close();
  h = undefined;
  fake = undefined;
});

/** Telegram HTML as the member reads it. */
const readable = (html: string) => html.replace(/<\/?b>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The eight clauses of the long article appear whole, once each and in order, across the parts read. */
function expectWholeArticle(parts: string[]) {
  const read = collapseSpace(parts.join(" "));
  let from = 0;
  for (const clause of LONG_ARTICLE_CLAUSES) {
    const at = read.indexOf(collapseSpace(clause), from);
    expect(at, clause.slice(0, 40)).toBeGreaterThanOrEqual(from);
    from = at + 1;
  }
  for (const clause of LONG_ARTICLE_CLAUSES) expect(read.split(collapseSpace(clause)).length - 1).toBe(1);
}

describe("the library on Telegram", () => {
  let nextUpdate = 5000;
  const SECRET = "library-secret-123";
  const start = async (logLines?: string[]) => {
    fake = await startFakeApi("telegram");
    h = await startHarness({
      env: { TELEGRAM_BOT_TOKEN: "123:LIB", TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_MODE: "webhook", TELEGRAM_API_ROOT: fake.url, ...(logLines ? { LOG_LEVEL: "info" } : {}) },
      documents: LIBRARY_FILES,
      deps: { extensions: loadExtensions },
      ...(logLines ? { logLines } : {}),
    });
  };
  type Sent = { text: string; reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] } };
  /** Posts an update and returns the messages sent in reply. */
  async function post(update: Record<string, unknown>, replies = 1): Promise<Sent[]> {
    const before = fake!.calls("sendMessage").length;
    const res = await h!.app.inject({ method: "POST", url: "/webhooks/telegram", payload: { update_id: nextUpdate++, ...update }, headers: { "x-telegram-bot-api-secret-token": SECRET } });
    expect(res.statusCode).toBe(200);
    await h!.app.inbox.drain();
    await fake!.waitFor("sendMessage", before + replies);
    return (fake!.calls("sendMessage").slice(before) as Sent[]).map((m) => ({ ...m, text: readable(m.text) }));
  }
  const text = (t: string, replies = 1) =>
    post({ message: { message_id: 1, date: 1, chat: { id: 700, type: "private" }, from: { id: 700, is_bot: false, first_name: "An" }, text: t, ...(t.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: t.split(" ")[0]!.length }] } : {}) } }, replies);
  const press = (data: string) => post({ callback_query: { id: `cb${nextUpdate}`, from: { id: 700, is_bot: false, first_name: "An" }, chat_instance: "c", data, message: { message_id: 1, date: 1, chat: { id: 700, type: "private" } } } });
  const buttons = (m: Sent) => m.reply_markup?.inline_keyboard.flat() ?? [];
  const button = (m: Sent, label: string | RegExp) => {
    const b = buttons(m).find((x) => (typeof label === "string" ? x.text === label : label.test(x.text)));
    if (!b) throw new Error(`no button ${label} among ${buttons(m).map((x) => x.text).join(" | ")}`);
    return b.callback_data;
  };

  it("lists the documents, opens an outline, a chapter, and a long article in parts within 4,096 characters", async () => {
    await start();
    const [list] = await text("/tailieu");
    expect(list!.text).toContain("📚 Văn bản trong sổ tay (6)");
    expect(list!.text).toContain("Điều lệ Đảng — Điều lệ Đảng Cộng sản Việt Nam — 01/01/2011\n   ✅ đang có hiệu lực");
    expect(list!.text).toContain("Quy định 999-QĐ/TW — Quy định mẫu về sinh hoạt đảng — 01/02/2025\n   ✅ đang có hiệu lực");
    expect(list!.text).toContain("Quy định 998-QĐ/TW — Quy định mẫu về sinh hoạt đảng (bản cũ) — 15/03/2019\n   ⛔ đã được thay thế bởi Quy định 999-QĐ/TW (ban hành 01/02/2025)");
    // In force first, in the party's order; replaced ones last.
    expect(buttons(list!).map((b) => b.text)).toEqual([
      "📑 Điều lệ Đảng",
      "📑 Quy định 999-QĐ/TW",
      "📑 Sổ tay mẫu về đảng phí (bản 2026)",
      "📑 Sổ tay thử nghiệm: Đảng phí",
      "⛔ Quy định 998-QĐ/TW",
      "⛔ Sổ tay mẫu về đảng phí (bản 2020)",
    ]);

    const [outline] = await press(button(list!, "📑 Điều lệ Đảng"));
    expect(outline!.text).toContain("📑 Điều lệ Đảng — Điều lệ Đảng Cộng sản Việt Nam\nBan hành: 01/01/2011");
    expect(buttons(outline!).map((b) => b.text)).toEqual(["Phần mở đầu", "Chương I. Đảng viên", "Chương II. Tổ chức cơ sở", "Chương III. Sinh hoạt chi bộ"]);

    // A chapter opens as the list of its articles.
    const [chapter] = await press(button(outline!, "Chương III. Sinh hoạt chi bộ"));
    expect(chapter!.text).toContain("📖 Điều lệ Đảng\nChương III. Sinh hoạt chi bộ");
    expect(chapter!.text).toContain("Gồm các mục (bấm để đọc):");
    const [first] = await press(button(chapter!, "Điều 4"));
    expect(first!.text).toContain("Chương III. Sinh hoạt chi bộ › Điều 4");
    expect(button(first!, "➡️ Xem tiếp (phần 2/2)")).toMatch(/^lib:s:\d+:1$/);
    const [second] = await press(button(first!, "➡️ Xem tiếp (phần 2/2)"));
    expect(second!.text).toContain("Điều lệ Đảng › Điều 4 (phần 2/2)");
    expect(buttons(second!).map((b) => b.text)).toEqual(["📑 Mục lục"]);
    for (const m of [list!, outline!, chapter!, first!, second!]) expect(m.text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expectWholeArticle([first!.text, second!.text]);
  });

  it("opens exactly the section a question names, with no search; one that does not exist says what there is", async () => {
    const lines: string[] = [];
    await start(lines);
    const searches = () => lines.filter((l) => l.includes('"question answered"')).length;

    const [article] = await text("Điều 2 Điều lệ");
    expect(article!.text).toContain("📖 Điều lệ Đảng\nChương I. Đảng viên › Điều 2");
    expect(article!.text).toContain("1. Người được kết nạp phải trải qua thời kỳ dự bị mười hai tháng");
    expect(article!.text).toContain("2. Hết thời kỳ dự bị, chi bộ xét công nhận");
    expect(button(article!, /^📖 Đọc tiếp: Chương II/)).toMatch(/^lib:s:/);

    const [clause] = await text("/hoi khoản 2 Điều 3 Điều lệ Đảng");
    expect(clause!.text).toContain("Điều 3 › Khoản 2");
    expect(clause!.text).toContain("Chi uỷ họp thường lệ mỗi tháng một lần");
    expect(clause!.text).not.toContain("Chi bộ được lập khi");

    const [item] = await text("mục 1.1.2 Quy định 999");
    expect(item!.text).toContain("📖 Quy định 999-QĐ/TW");
    expect(item!.text).toContain("1.1.2. Đảng viên dự bị chuyển công tác sang đơn vị khác");

    expect((await text("dieu 60 dieu le"))[0]!.text).toBe("Không có dieu 60 trong Điều lệ Đảng. Điều lệ Đảng có 4 điều (Điều 1–4).");
    expect((await text("khoản 3 Điều 1 Điều lệ Đảng"))[0]!.text).toBe("Không có khoản 3 Điều 1 trong Điều lệ Đảng. Điều 1 của Điều lệ Đảng có 2 khoản (khoản 1–2).");
    expect((await text("mục 1.3 Quy định 999"))[0]!.text).toBe("Không có mục 1.3 trong Quy định 999-QĐ/TW. Mục 1 của Quy định 999-QĐ/TW có 2 mục (mục 1.1–1.2).");
    // A regulation numbered by mục, asked for an article: the items implementing that article of the Charter.
    const [hint] = await text("Điều 3 Quy định 999");
    expect(hint!.text).toContain("Không có Điều 3 trong Quy định 999-QĐ/TW: văn bản này chia theo mục, không theo điều. Mục thi hành Điều 3 Điều lệ Đảng");
    expect(buttons(hint!).map((b) => b.text)).toEqual(["2. Về thẻ đảng viên"]);
    // Two references at once open both.
    const both = await text("Điều 1 và Điều 2 của Điều lệ", 2);
    expect(both.map((m) => /› Điều \d/.exec(m.text)?.[0])).toEqual(["› Điều 1", "› Điều 2"]);
    expect(searches()).toBe(0);

    // Naming the Charter without a section is a question for the search (whatever it answers).
    const [answer] = await text("Điều lệ quy định thời kỳ dự bị bao lâu?");
    expect(answer!.text).not.toContain("📖 Điều lệ Đảng\n");
    expect(searches()).toBe(1);
  });
});

describe("the library on Zalo", () => {
  it("shows menus as numbers, cuts the long article into parts within 2,000 characters, and reads on when 'xem tiếp' is typed", async () => {
    fake = await startFakeApi("zalo");
    const SECRET = "zalo-library-secret";
    h = await startHarness({
      env: { ZALO_BOT_TOKEN: "9:LIB", ZALO_WEBHOOK_SECRET: SECRET, ZALO_MODE: "webhook", ZALO_API_ROOT: fake.url },
      documents: LIBRARY_FILES,
      deps: { extensions: loadExtensions },
    });
    let n = 0;
    const chat = async (text: string): Promise<string[]> => {
      const before = fake!.calls("sendMessage").length;
      const body = { event_name: "message.text.received", message: { message_id: `lib${n++}`, date: Date.now(), from: { id: "z-77", display_name: "Bình" }, chat: { id: "z-77", chat_type: "PRIVATE" }, text } };
      const res = await h!.app.inject({ method: "POST", url: "/webhooks/zalo", payload: body, headers: { "x-bot-api-secret-token": SECRET } });
      expect(res.statusCode).toBe(200);
      await h!.app.inbox.drain();
      await fake!.waitFor("sendMessage", before + 1);
      return fake!.calls("sendMessage").slice(before).map((c) => String(c.text));
    };
    /** The number of a menu line ("3. Chương III. …" → "3"). */
    const numberOf = (message: string, label: string) => {
      const line = message.split("\n").find((l) => new RegExp(`^\\d+\\. ${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`).test(l));
      if (!line) throw new Error(`no menu line "${label}" in:\n${message}`);
      return line.split(".")[0]!;
    };

    const [list] = await chat("/tailieu");
    expect(list).toContain("1. 📑 Điều lệ Đảng");
    expect(list).toContain("Đồng chí trả lời bằng số thứ tự");
    const [outline] = await chat(numberOf(list!, "📑 Điều lệ Đảng"));
    const [chapter] = await chat(numberOf(outline!, "Chương III"));
    const parts = await chat(numberOf(chapter!, "Điều 4"));
    expect(parts).toHaveLength(1);
    expect(parts[0]).toContain("1. ➡️ Xem tiếp (phần 2/4)");
    const second = await chat("xem tiếp");
    expect(second[0]).toContain("Điều lệ Đảng › Điều 4 (phần 2/4)");
    const third = await chat("1");
    const fourth = await chat("Xem tiếp");
    expect(fourth[0]).toContain("(phần 4/4)");
    const read = [...parts, ...second, ...third, ...fourth];
    for (const m of [list!, outline!, chapter!, ...read]) expect(m.length).toBeLessThanOrEqual(ZALO_TEXT_LIMIT);
    expect(read.join("\n")).not.toContain("**");
    expectWholeArticle(read);
  });
});

describe("the library in the web chat", () => {
  const chat = async (payload: { text?: string; choice?: string }) => {
    const res = await h!.app.inject({ method: "POST", url: "/api/chat", payload: { sessionId: "library-session-1", ...payload } });
    expect(res.statusCode).toBe(200);
    return (res.json() as { replies: { text: string; choices?: { label: string; value: string }[] }[] }).replies;
  };

  it("opens references and reads on by button, in parts of a chat screen (it has no limit of its own)", async () => {
    h = await startHarness({ documents: LIBRARY_FILES, deps: { extensions: loadExtensions } });
    const [first] = await chat({ text: "Điều 4 Điều lệ" });
    expect(first!.text).toContain("📖 **Điều lệ Đảng**");
    const more = first!.choices!.find((c) => c.label === "➡️ Xem tiếp (phần 2/2)")!;
    const [second] = await chat({ choice: more.value });
    expect(second!.text).toContain("(phần 2/2)");
    expectWholeArticle([first!.text, second!.text]);
    const [list] = await chat({ text: "/tailieu" });
    expect(list!.choices!.map((c) => c.label)).toContain("📑 Quy định 999-QĐ/TW");
    const [outline] = await chat({ choice: list!.choices!.find((c) => c.label === "📑 Quy định 999-QĐ/TW")!.value });
    expect(outline!.choices!.map((c) => c.label)).toEqual(["Phần mở đầu", "1. Về thời kỳ dự bị", "2. Về thẻ đảng viên"]);
  });

  it("marks replaced documents, says what replaced a document a question names and when, and quotes the one in force", async () => {
    h = await startHarness({ documents: LIBRARY_FILES, deps: { extensions: loadExtensions } });

    // A document never ingested, declared replaced in the header of Quy định 999.
    const [never] = await chat({ text: "Quy định 24 nói gì về thời kỳ dự bị?" });
    expect(never!.text.split("\n")[0]).toBe(
      "ℹ️ **Quy định số 24-QĐ/TW ngày 30/7/2021** đã được thay thế bởi **Quy định 999-QĐ/TW** (ban hành 01/02/2025). Câu trả lời dưới đây trích văn bản đang có hiệu lực.",
    );
    // A stored one: the answer quotes the document in force although the old one holds the question's words.
    const [stored] = await chat({ text: "Quy định 998 nói gì về thời kỳ dự bị tính từ ngày nào?" });
    expect(stored!.text).toContain("ℹ️ **Quy định 998-QĐ/TW** đã được thay thế bởi **Quy định 999-QĐ/TW** (ban hành 01/02/2025).");
    expect(stored!.text).not.toContain("ngày cấp có thẩm quyền ký quyết định kết nạp, và chi ủy lưu");
    // Answered or offered as choices, the dues are the 2026 handbook's, not the replaced 2020 one's.
    const [dues] = await chat({ text: "chi ủy ghi sổ thu đảng phí theo quý thế nào" });
    const shown = JSON.stringify(dues);
    expect(shown).toContain("bản 2026");
    expect(shown).not.toContain("bản 2020");
    expect(shown).not.toContain("mỗi quý");

    // Opening a replaced document by reference says so first; one never ingested says what replaced it.
    const [old] = await chat({ text: "mục 1.1 Quy định 998" });
    expect(old!.text).toContain("⚠️ Văn bản này đã được thay thế bởi **Quy định 999-QĐ/TW** (ban hành 01/02/2025). Nội dung dưới đây chỉ để tham khảo.");
    expect(old!.text).toContain("1.1. Thời kỳ dự bị của đảng viên được tính từ ngày cấp có thẩm quyền ký quyết định kết nạp");
    expect((await chat({ text: "Điều 3 Quy định 24" }))[0]!.text).toBe(
      "**Quy định số 24-QĐ/TW ngày 30/7/2021** đã được thay thế bởi **Quy định 999-QĐ/TW** (ban hành 01/02/2025), và không có trong sổ tay. Xem văn bản đang có hiệu lực: /tailieu Quy định 999-QĐ/TW",
    );
    const [outline] = await chat({ text: "/tailieu 998" });
    expect(outline!.text).toContain("⚠️ Văn bản này đã được thay thế bởi **Quy định 999-QĐ/TW**");
  });
});
