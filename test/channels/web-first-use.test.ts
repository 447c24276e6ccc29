/**
 * The web chat as an older member first meets it, in headless Chromium (issue 9 §2): example
 * questions on the first screen and no slash command to learn; a long answer that opens at its
 * first line and is never hidden behind the question box (1280×900 and 390×844); one citation
 * line; feedback buttons; no account-only commands offered; a favicon. Screenshots go to
 * test-results/ to be looked at.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { PROJECT_ROOT } from "../../core/config.js";
import { createMeetingsFeature } from "../../core/meetings/feature.js";
import { testDatabaseEnv } from "../support/database.js";
import { seedKnowledge } from "../support/seed-knowledge.js";
import { startHarness, urlOf, type Harness } from "./support/harness.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** A handbook with one long answer (our own wording), so a reply runs past one screen on a phone. */
const HANDBOOK = `---
loai: Sổ tay
---
# Sổ tay thử nghiệm: Chuyển sinh hoạt đảng

## Chuyển sinh hoạt đảng chính thức sang tỉnh khác cần những giấy tờ gì và làm theo trình tự nào?
${Array.from({ length: 9 }, (_, i) => `Bước ${i + 1}: đảng viên chuẩn bị và nộp cho chi ủy nơi đang sinh hoạt các giấy tờ theo hướng dẫn, chi ủy kiểm tra hồ sơ, ghi vào sổ theo dõi, báo cáo cấp ủy cấp trên trực tiếp và hẹn ngày trả kết quả cho đảng viên trong thời hạn quy định.`).join("\n\n")}

## Đảng viên dự bị được bao lâu thì xét chuyển chính thức?
Thời gian dự bị là mười hai tháng, tính từ ngày chi bộ tổ chức lễ kết nạp. Khi hết thời gian dự bị, chi bộ họp xét công nhận đảng viên chính thức.
`;

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

describe.skipIf(!fs.existsSync(CHROMIUM))("the web chat on first use, in headless Chromium", () => {
  let h: Harness;
  let browser: BrowserContext;
  let userDataDir: string;
  const shots = path.join(PROJECT_ROOT, "test-results");

  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-web-first-"));
    fs.mkdirSync(path.join(dataDir, "docs"));
    fs.writeFileSync(path.join(dataDir, "docs", "chuyen-sinh-hoat.md"), HANDBOOK);
    const database = await testDatabaseEnv();
    await seedKnowledge({ DATA_DIR: dataDir, ...database }, [path.join(dataDir, "docs")]);
    // The meetings feature's help lines need a linked account: the web chat must not offer them.
    h = await startHarness({ listen: true, dataDir, env: database, deps: { extensions: async (deps) => ({ features: [createMeetingsFeature({ prisma: deps.store.prisma, config: deps.config, state: deps.state, logger: deps.logger, noticeChannels: deps.noticeChannels })], services: [] }) } });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-chromium-"));
    browser = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: ARGS });
    fs.mkdirSync(shots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  async function open(width: number, height: number): Promise<Page> {
    const page = await browser.newPage();
    await page.setViewportSize({ width, height });
    await page.goto(urlOf(h.app) + "/");
    await page.locator(".msg.bot .choices button").first().waitFor();
    return page;
  }

  /** Whether the element's box lies inside the conversation's visible box (not under the question box). */
  async function inView(page: Page, selector: string) {
    const chat = (await page.locator("main.chat").boundingBox())!;
    const form = (await page.locator("form.ask").boundingBox())!;
    const box = (await page.locator(selector).boundingBox())!;
    return { chat, form, box, topVisible: box.y >= chat.y - 1 && box.y < form.y, formBelowChat: chat.y + chat.height <= form.y + 1 };
  }

  for (const [width, height] of [[1280, 900], [390, 844]] as const) {
    it(`at ${width}×${height}: examples first, a long answer from its first line, nothing behind the question box`, async () => {
      const page = await open(width, height);
      const greeting = page.locator(".msg.bot").first();
      expect(await greeting.innerText()).toContain("Sổ tay đảng viên điện tử");
      expect(await greeting.innerText()).not.toMatch(/\/[a-z]/); // no slash command to learn
      expect(await greeting.locator(".choices button").count()).toBeGreaterThanOrEqual(4);
      await page.screenshot({ path: path.join(shots, `web-first-screen-${width}x${height}.png`) });

      await page.getByLabel("Câu hỏi của đồng chí").fill("chuyển sinh hoạt đảng chính thức sang tỉnh khác cần giấy tờ gì");
      await page.keyboard.press("Enter");
      const answer = page.locator(".msg.bot").nth(1);
      await expect.poll(() => answer.innerText()).toContain("Bước 1");
      await page.waitForTimeout(600); // the smooth scroll
      const where = await inView(page, ".msg.bot >> nth=1");
      expect(where.formBelowChat).toBe(true);
      expect(where.topVisible, JSON.stringify(where)).toBe(true);
      // The handbook's own question heading is not shown as the answer; one citation line.
      expect(await answer.innerText()).not.toContain("cần những giấy tờ gì và làm theo trình tự nào?");
      expect(await answer.locator(".cite").count()).toBe(1);
      await page.screenshot({ path: path.join(shots, `web-long-answer-${width}x${height}.png`) });
      await page.close();
    });
  }

  it("takes 👍 / 👎 under an answer, and answers an example question tapped on the first screen", async () => {
    const page = await open(390, 844);
    await page.locator(".msg.bot").first().getByRole("button").first().click();
    const answer = page.locator(".msg.bot").nth(1);
    await answer.waitFor();
    await expect.poll(() => answer.locator(".choices.feedback button").count()).toBe(2);
    await answer.getByRole("button", { name: "Đúng", exact: true }).click();
    await expect.poll(() => page.locator(".msg.bot").last().innerText()).toContain("Cảm ơn đồng chí");
    await page.close();
  });

  it("does not offer commands that need a Telegram or Zalo account, and serves a favicon", async () => {
    const page = await open(1280, 900);
    await page.getByLabel("Câu hỏi của đồng chí").fill("/trogiup");
    await page.keyboard.press("Enter");
    const help = page.locator(".msg.bot").nth(1);
    await expect.poll(() => help.innerText()).toContain("/hoi");
    expect(await help.innerText()).not.toContain("/dangky");
    expect(await help.innerText()).not.toContain("/lichhop");
    const icon = await page.request.get(urlOf(h.app) + "/favicon.ico");
    expect(icon.status()).toBe(200);
    expect(icon.headers()["content-type"]).toContain("image/svg+xml");
    await page.close();
  });
});
