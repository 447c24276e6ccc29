import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type BrowserContext } from "playwright-core";
import type { ConversationFeature } from "../../core/conversation/types.js";
import { PROJECT_ROOT } from "../../core/config.js";
import { startHarness, urlOf, type Harness } from "./support/harness.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

describe.skipIf(!fs.existsSync(CHROMIUM))("web chat in headless Chromium", () => {
  let h: Harness;
  let browser: BrowserContext;
  let userDataDir: string;

  beforeAll(async () => {
    const feature: ConversationFeature = {
      name: "test",
      commands: {
        diemdanh: async () => [{ text: "Đồng chí có dự họp?", choices: [{ label: "Có mặt", value: "att:yes" }, { label: "Vắng mặt", value: "att:no" }] }],
        bienban: async () => [{ text: "Dự thảo biên bản:", file: { fileName: "bien-ban-hop-3.docx", mimeType: "application/octet-stream", content: new TextEncoder().encode("tệp thử") } }],
      },
      onChoice: async (m) => [{ text: `Đã ghi nhận: ${m.choice === "att:yes" ? "có mặt" : "vắng mặt"}.` }],
    };
    h = await startHarness({ listen: true, features: [feature] });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-chromium-"));
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 420, height: 860 },
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  it("a person types a Vietnamese question and sees the answer with its citation", async () => {
    const page = await browser.newPage();
    await page.goto(urlOf(h.app) + "/");
    expect(await page.title()).toBe("Sổ tay đảng viên điện tử");
    await page.getByLabel("Câu hỏi của đồng chí").fill("Đảng viên dự bị được bao lâu thì xét chuyển chính thức?");
    await page.getByRole("button", { name: "Gửi" }).click();

    const answer = page.locator(".msg.bot").nth(1);
    await answer.waitFor();
    await expect.poll(() => answer.innerText()).toContain("mười hai tháng");
    expect(await answer.locator(".cite").first().innerText()).toContain("Nguồn: Sổ tay thử nghiệm: Đảng phí");
    expect(await answer.locator("strong").count()).toBeGreaterThan(0);
    expect(await page.locator("#log").getAttribute("aria-live")).toBe("polite");

    const dir = path.join(PROJECT_ROOT, "test-results");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "web-chat.png");
    await page.screenshot({ path: file, fullPage: true });
    const png = fs.readFileSync(file);
    expect(png.length).toBeGreaterThan(1000);
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  });

  it("shows choices as buttons and sends the pressed one back", async () => {
    const page = await browser.newPage();
    await page.goto(urlOf(h.app) + "/");
    await page.getByLabel("Câu hỏi của đồng chí").fill("/diemdanh");
    await page.keyboard.press("Enter");
    const button = page.getByRole("button", { name: "Vắng mặt" });
    await button.waitFor();
    await button.click();
    await expect.poll(() => page.locator(".msg.bot").last().innerText()).toBe("Đã ghi nhận: vắng mặt.");
    expect(await button.isDisabled()).toBe(true);
  });

  it("offers a file in a reply as a download with its name and bytes", async () => {
    const page = await browser.newPage();
    await page.goto(urlOf(h.app) + "/");
    await page.getByLabel("Câu hỏi của đồng chí").fill("/bienban");
    await page.keyboard.press("Enter");
    const link = page.locator(".msg.bot a.file");
    await link.waitFor();
    expect(await link.innerText()).toBe("📎 bien-ban-hop-3.docx");
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe("bien-ban-hop-3.docx");
    expect(fs.readFileSync((await download.path())!, "utf8")).toBe("tệp thử");
  });
});
