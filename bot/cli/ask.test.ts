import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig, PROJECT_ROOT } from "../../core/config.js";
import { openStore } from "../../core/db/store.js";
import { createLogger } from "../../core/logger.js";
import { KnowledgeBase } from "../../core/knowledge/knowledge-base.js";
import { BADGES, RULES } from "../../core/knowledge/sample-docs.testkit.js";

let dataDir: string;

function ask(args: string[], input?: string) {
  const r = spawnSync("npx", ["tsx", "bot/cli/ask.ts", ...args], {
    cwd: PROJECT_ROOT,
    input,
    encoding: "utf8",
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "warn", MODELS_DIR: path.join(dataDir, "no-models") },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-ask-"));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent", MODELS_DIR: path.join(dataDir, "no-models") });
  const store = await openStore(config);
  const kb = await KnowledgeBase.open(config, { logger: createLogger(config), store });
  await kb.upsert(RULES);
  await kb.upsert(BADGES);
  await kb.close();
  await store.close();
});

describe("npm run ask", () => {
  it("prints the answer with its source as a member would see it", () => {
    const r = ask(["lam mat the dang vien thi sao?"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("mất thẻ đảng viên");
    expect(r.stdout).toContain("Nguồn:");
  });

  it("says it found nothing for an unrelated question", () => {
    expect(ask(["xin chào"]).stdout).toContain("Chưa tìm thấy");
    const r = ask(["Giá vàng hôm nay bao nhiêu?"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Chưa tìm thấy");
  });

  it("--json prints the mode, answered (true only in answer mode) and the passages with their citation", () => {
    const r = ask(["--json", "--k", "2", "Huy hiệu Đảng trao vào dịp nào?"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(["answer", "choices"]).toContain(out.mode);
    expect(out.answered).toBe(out.mode === "answer");
    expect(out.passages).toHaveLength(2);
    expect(Object.keys(out.passages[0]).sort()).toEqual(["citation", "heading", "score", "source", "text", "title"]);
    expect(out.passages[0].source).toBe("huy-hieu-mau.md");
    expect(typeof out.passages[0].score).toBe("number");
    expect(JSON.parse(ask(["--json", "Giá vàng hôm nay bao nhiêu?"]).stdout)).toMatchObject({ mode: "none", answered: false });
  });

  it("--explain shows each step: the mode and the rule that chose it, the probabilities, the candidates' features", () => {
    const r = ask(["--explain", "lam mat the dang vien thi sao?"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/mode: (answer|choices) — /);
    expect(r.stdout).toMatch(/P\(best section right\) \d\.\d\d/);
    expect(r.stdout).toContain("rank  score  section → features");
    expect(r.stdout).toMatch(/first \d\.\d\d, coverage/);
  });

  it("--batch answers each line with its id and reports bad lines without stopping", () => {
    const input = [
      JSON.stringify({ id: "q1", question: "đóng đảng phí hằng tháng" }),
      "{not json",
      JSON.stringify({ id: 7, question: "" }),
      "",
      JSON.stringify({ id: "q2", question: "chuyen sinh hoat dang" }),
    ].join("\n");
    const r = ask(["--json", "--batch", "--k", "1"], input);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ id: "q1" });
    expect(lines[0].mode).not.toBe("none");
    expect(lines[0].passages[0].text).toContain("đảng phí");
    expect(lines[1]).toMatchObject({ id: null, line: 2 });
    expect(lines[1].error).toBeTruthy();
    expect(lines[2]).toMatchObject({ id: 7, line: 3 });
    expect(lines[3]).toMatchObject({ id: "q2" });
    expect(lines[3].mode).not.toBe("none");
    expect(lines[3].passages).toHaveLength(1);
    expect(r.code).toBe(1); // some lines failed
  });

  it("rejects bad usage with a clear message", () => {
    const r = ask(["--k", "zero", "câu hỏi"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--k needs a whole number");
    expect(ask([]).stderr).toContain("No question given");
  });
});
