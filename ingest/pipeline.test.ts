import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig, PROJECT_ROOT } from "../core/config.js";
import { openStore, type Store } from "../core/db/store.js";
import { KnowledgeBase } from "../core/knowledge/knowledge-base.js";
import { main } from "./cli.js";
import { formatProgress, ingestPaths, type IngestFileResult } from "./pipeline.js";
import { minimalPdf } from "./test-fixtures.js";
import { REGULATION_LIKE } from "./fixture-documents.js";

const silent = pino({ level: "silent" });

let dir: string;
let env: Record<string, string>;

let REGULATION: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ingest-pipeline-"));
  env = { DATA_DIR: path.join(dir, "data"), LOG_LEVEL: "silent", QUESTIONS_DIR: path.join(dir, "questions") };
  REGULATION = write("qd999-mau.txt", REGULATION_LIKE);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(rel: string, content: string | Buffer): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

async function withKnowledgeBase<T>(fn: (kb: KnowledgeBase, store: Store) => Promise<T>): Promise<T> {
  const config = loadConfig(env);
  const store = await openStore(config);
  const kb = await KnowledgeBase.open(config, { logger: silent, store });
  try {
    return await fn(kb, store);
  } finally {
    await kb.close();
    await store.close();
  }
}

describe("ingestPaths into the knowledge base", () => {
  it("ingests good files, reports each bad one by name and why, and carries on", async () => {
    write("docs/a-dang-phi.md", "# Đảng phí\n\n## Mức đóng\nĐảng viên đóng đảng phí hằng tháng.");
    write("docs/sub/b-the.txt", "1. Thẻ đảng viên\nKhi mất thẻ phải báo cáo ngay với cấp ủy.");
    write("docs/sub/c-rong.txt", "");
    write("docs/d-hong.pdf", Buffer.from("garbage, not a pdf at all"));
    write("docs/e-quet.pdf", minimalPdf("0 0 1 rg 20 20 200 200 re f"));
    write("docs/ghi-chu.xlsx", "ignored inside folders");
    const unsupported = write("bang.xlsx", "given explicitly, so reported");

    const progress: string[] = [];
    const results = await withKnowledgeBase((kb) =>
      ingestPaths([path.join(dir, "docs"), unsupported], kb, {
        logger: silent,
        onProgress: (r, i, n) => progress.push(formatProgress(r, i, n)),
      }),
    );
    const bySource = Object.fromEntries(results.map((r) => [r.source, r]));
    expect(results.map((r) => r.source)).toEqual(["a-dang-phi.md", "d-hong.pdf", "e-quet.pdf", "b-the.txt", "c-rong.txt", "bang.xlsx"]);
    expect(bySource["a-dang-phi.md"]).toMatchObject({ outcome: "added", passages: 1 });
    expect(bySource["b-the.txt"]).toMatchObject({ outcome: "added", passages: 1 });
    expect(bySource["c-rong.txt"]).toMatchObject({ outcome: "failed", error: "c-rong.txt is empty (0 bytes)" });
    expect(bySource["d-hong.pdf"]!.error).toMatch(/^d-hong\.pdf is not a PDF file/);
    expect(bySource["e-quet.pdf"]!.error).toMatch(/^e-quet\.pdf has no text layer/);
    expect(bySource["bang.xlsx"]!.error).toMatch(/^bang\.xlsx has an unsupported type/);
    expect(progress[0]).toBe("[1/6] a-dang-phi.md: 1 passages (added)");
    expect(progress[4]).toBe("[5/6] c-rong.txt: FAILED: c-rong.txt is empty (0 bytes)");

    const stored = await withKnowledgeBase((kb) => kb.list());
    expect(stored.map((d) => d.source)).toEqual(["a-dang-phi.md", "b-the.txt"]);
  });

  it("skips an unchanged file, replaces a changed one, and searches the new text", async () => {
    const file = write("the.txt", "1. Thẻ đảng viên\nKhi mất thẻ phải báo cáo ngay với cấp ủy.");
    const parsed: number[] = [];
    const afterParse = (bytes: number) => parsed.push(bytes);
    const first = await withKnowledgeBase((kb) => ingestPaths([file, REGULATION], kb, { afterParse }));
    expect(first.map((r) => r.outcome)).toEqual(["added", "added"]);
    // Told the size of each file parsed (an unchanged one is not parsed).
    expect(parsed).toEqual([fs.statSync(file).size, fs.statSync(REGULATION).size]);

    // The unchanged check happens before parsing: a writer that refuses upserts proves it.
    const again = await withKnowledgeBase(async (kb) => {
      const guarded = { storedHash: (s: string) => kb.storedHash(s), upsert: () => Promise.reject(new Error("must not be called")), remove: kb.remove.bind(kb), list: kb.list.bind(kb) };
      return ingestPaths([file, REGULATION], guarded, { afterParse });
    });
    expect(again.map((r) => r.outcome)).toEqual(["unchanged", "unchanged"]);
    expect(parsed).toHaveLength(2);

    fs.writeFileSync(file, "1. Thẻ đảng viên\nKhi mất thẻ phải báo cáo ngay với cấp ủy.\n2. Đổi thẻ\nThẻ hỏng thì đề nghị đổi thẻ mới.");
    const changed: IngestFileResult[] = await withKnowledgeBase((kb) => ingestPaths([file], kb));
    expect(changed[0]).toMatchObject({ outcome: "replaced", passages: 2 });

    await withKnowledgeBase(async (kb) => {
      const docs = await kb.list();
      expect(docs.find((d) => d.source === "the.txt")!.passageCount).toBe(2);
      const qd = docs.find((d) => d.source === path.basename(REGULATION))!;
      expect(qd).toMatchObject({ number: "999-QĐ/TW", title: "Quy định mẫu về sinh hoạt đảng" });
      const hit = (await kb.search("Thẻ hỏng thì đề nghị đổi thẻ mới")).passages[0]!;
      expect(hit.text).toContain("Thẻ hỏng thì đề nghị đổi thẻ mới.");
    });
  });

  it("refuses a second file with the same name from another folder", async () => {
    const a = write("x/the.txt", "1. Thẻ\nMột.");
    const b = write("y/the.txt", "1. Thẻ\nHai.");
    const results = await withKnowledgeBase((kb) => ingestPaths([a, b], kb));
    expect(results[0]!.outcome).toBe("added");
    expect(results[1]).toMatchObject({ outcome: "failed" });
    expect(results[1]!.error).toMatch(/^the\.txt has the same file name as .*x\/the\.txt/);
  });
});

describe("the ingest CLI", () => {
  const run = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  };

  it("ingests, lists, skips unchanged, removes, and exits non-zero when a file failed", async () => {
    const md = write("docs/dang-phi.md", "# Sổ tay: Đảng phí\n\n## Mức đóng\nĐảng viên đóng đảng phí hằng tháng.");
    const bad = write("docs/quet.pdf", minimalPdf("0 0 1 rg 20 20 200 200 re f"));

    const first = await run([REGULATION, md, bad]);
    expect(first.code).toBe(1);
    expect(first.err.some((l) => l.startsWith(`[1/3] ${path.basename(REGULATION)}: `) && l.endsWith("passages (added)"))).toBe(true);
    expect(first.err.some((l) => l.startsWith("[3/3] quet.pdf: FAILED: quet.pdf has no text layer"))).toBe(true);
    expect(first.err).toContain("3 file(s): 2 added, 0 replaced, 0 unchanged, 1 failed");

    const list = await run(["--list"]);
    expect(list.code).toBe(0);
    expect(list.out[0]).toMatch(/^SOURCE\s+TITLE\s+NUMBER\s+PASSAGES\s+INGESTED AT$/);
    expect(list.out.find((l) => l.startsWith("dang-phi.md"))).toMatch(/^dang-phi\.md\s+Sổ tay: Đảng phí\s+-\s+1\s+\d{4}-\d\d-\d\dT/);
    expect(list.out.find((l) => l.startsWith("qd999"))).toMatch(/Quy định mẫu về sinh hoạt đảng\s+999-QĐ\/TW\s+\d+\s/);

    const second = await run([REGULATION, md]);
    expect(second.code).toBe(0);
    expect(second.err).toContain("2 file(s): 0 added, 0 replaced, 2 unchanged, 0 failed");

    expect((await run(["--remove", "dang-phi.md"])).code).toBe(0);
    const missing = await run(["--remove", "dang-phi.md"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toEqual(["dang-phi.md: no such document (see --list)"]);
    const after = await run(["--list"]);
    expect(after.out.some((l) => l.startsWith("dang-phi.md"))).toBe(false);
    expect(after.out).toHaveLength(2);
  });

  it("explains bad usage", async () => {
    expect((await run(["--frobnicate"])).code).toBe(2);
    expect((await run(["--remove"])).err[0]).toMatch(/--remove needs a source/);
    expect((await run([])).out[0]).toMatch(/^Usage:/);
  });

  it("runs as `npm run ingest` does (tsx ingest/cli.ts) with DATA_DIR selecting the store", async () => {
    const file = write("the.txt", "1. Thẻ đảng viên\nKhi mất thẻ phải báo cáo ngay với cấp ủy.");
    const exec = promisify(execFile);
    const result = await exec(path.join(PROJECT_ROOT, "node_modules", ".bin", "tsx"), ["ingest/cli.ts", file], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env },
    });
    expect(result.stderr).toContain("[1/1] the.txt: 1 passages (added)");
    expect(fs.existsSync(path.join(env.DATA_DIR!, "sotay.db"))).toBe(true);
    const failed = await exec(path.join(PROJECT_ROOT, "node_modules", ".bin", "tsx"), ["ingest/cli.ts", path.join(dir, "nope.txt")], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env },
    }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain("[1/1] nope.txt: FAILED: nope.txt does not exist");
  });
});
