/**
 * Which document is in force, as ingest learns it: `THAY THẾ:` in a header block, `thay_the:` in
 * Markdown front matter (inline or as a list), and `npm run ingest -- --replaces <old> <new>`;
 * search then ranks the replaced document's passages after those of the one in force.
 */
import fs from "node:fs";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../core/config.js";
import { openStore } from "../core/db/store.js";
import { KnowledgeBase } from "../core/knowledge/knowledge-base.js";
import { NEW_DUES, NEW_REGULATION, OLD_DUES } from "../test/library/fixtures.js";
import { main } from "./cli.js";
import { parseFile } from "./parse.js";
import { ingestWorkspace, type IngestWorkspace } from "./test-fixtures.js";

let ws: IngestWorkspace;
beforeEach(() => {
  ws = ingestWorkspace("ingest-replaces-");
});
afterEach(() => ws.remove());

const run = async (argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, ws.env, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
};

/** The sources of the passages a question finds, best first. */
async function found(question: string): Promise<string[]> {
  const config = loadConfig(ws.env);
  const store = await openStore(config);
  const kb = await KnowledgeBase.open(config, { logger: pino({ level: "silent" }), store });
  try {
    return (await kb.retrieve(question, 10)).hits.map((h) => h.source);
  } finally {
    await kb.close();
    await store.close();
  }
}

describe("a document declares what it replaces", () => {
  it("in its header block (THAY THẾ, several at once) or its front matter (thay_the, inline or as a list)", async () => {
    expect((await parseFile(ws.write("qd999.txt", NEW_REGULATION))).replaces).toEqual(["Quy định số 24-QĐ/TW ngày 30/7/2021", "Quy định số 998-QĐ/TW"]);
    expect((await parseFile(ws.write("moi.md", NEW_DUES))).replaces).toEqual(["so-tay-dang-phi-2020.md"]);
    const inline = NEW_DUES.replace("thay_the:\n  - so-tay-dang-phi-2020.md", 'thay_the: "01-HD/M; so-tay-cu.md"');
    expect((await parseFile(ws.write("moi2.md", inline))).replaces).toEqual(["01-HD/M", "so-tay-cu.md"]);
    expect((await parseFile(ws.write("cu.md", OLD_DUES))).replaces).toBeUndefined();
  });
});

describe("npm run ingest -- --replaces", () => {
  const DUES_QUESTION = "chi ủy ghi sổ thu đảng phí theo quý thế nào";

  it("records that one stored document replaces another, ranks the old one after it, lists it, and undoes it", async () => {
    const oldFile = ws.write("so-tay-cu.md", OLD_DUES);
    const newFile = ws.write("so-tay-moi.md", NEW_DUES.replace("thay_the:\n  - so-tay-dang-phi-2020.md\n", ""));
    expect((await run([oldFile, newFile])).code).toBe(0);
    expect((await found(DUES_QUESTION))[0]).toBe("so-tay-cu.md");

    const recorded = await run(["--replaces", "so-tay-cu.md", "so-tay-moi.md"]);
    expect(recorded).toMatchObject({ code: 0, err: ["recorded: Sổ tay mẫu về đảng phí (bản 2026) (so-tay-moi.md, 01/06/2026) replaces Sổ tay mẫu về đảng phí (bản 2020) (so-tay-cu.md, 01/01/2020)"] });
    const ranked = await found(DUES_QUESTION);
    expect(ranked[0]).toBe("so-tay-moi.md");
    // Still searchable for history: after every passage of the documents in force.
    expect(ranked.at(-1)).toBe("so-tay-cu.md");
    expect((await run(["--replaces", "so-tay-cu.md", "so-tay-moi.md"])).err[0]).toMatch(/^already recorded: /);

    // A document never ingested, named by its number, so that questions naming it are told.
    expect((await run(["--replaces", "Hướng dẫn 01-HD/M ngày 02/01/2019", "so-tay-moi.md"])).code).toBe(0);
    const list = await run(["--replaces"]);
    expect(list.out).toEqual([
      "Sổ tay mẫu về đảng phí (bản 2026) (so-tay-moi.md, 01/06/2026) replaces Sổ tay mẫu về đảng phí (bản 2020) (so-tay-cu.md, 01/01/2020): its passages now rank after those in force [--replaces]",
      'Sổ tay mẫu về đảng phí (bản 2026) (so-tay-moi.md, 01/06/2026) replaces "Hướng dẫn 01-HD/M ngày 02/01/2019" (not stored: questions naming it are told) [--replaces]',
    ]);

    expect(await run(["--unreplaces", "so-tay-cu.md", "so-tay-moi.md"])).toMatchObject({ code: 0 });
    expect((await found(DUES_QUESTION))[0]).toBe("so-tay-cu.md");
  });

  it("refuses what it cannot record, saying why", async () => {
    const oldFile = ws.write("so-tay-cu.md", OLD_DUES);
    const newFile = ws.write("so-tay-moi.md", NEW_DUES.replace("thay_the:\n  - so-tay-dang-phi-2020.md\n", ""));
    await run([oldFile, newFile]);
    const refused = async (argv: string[]) => {
      const r = await run(argv);
      expect(r.code).not.toBe(0);
      return r.err.join("\n");
    };
    expect(await refused(["--replaces", "so-tay-cu.md", "khong-co.md"])).toBe('The new document "khong-co.md" is not a stored document (see --list: give its file name or number)');
    expect(await refused(["--replaces", "so-tay-moi.md", "so-tay-moi.md"])).toBe('A document cannot replace itself ("so-tay-moi.md" is so-tay-moi.md)');
    expect(await refused(["--replaces", "một văn bản cũ nào đó", "so-tay-moi.md"])).toMatch(/is not stored and has no number to recognise it by/);
    expect(await refused(["--replaces", "so-tay-cu.md"])).toMatch(/^--replaces takes two arguments: <old> <new>/);
    await run(["--replaces", "so-tay-cu.md", "so-tay-moi.md"]);
    expect(await refused(["--replaces", "so-tay-moi.md", "so-tay-cu.md"])).toMatch(/would go round in a circle/);
    expect(await refused(["--unreplaces", "so-tay-moi.md", "so-tay-cu.md"])).toMatch(/^No declaration that so-tay-cu.md replaces "so-tay-moi.md"/);
  });

  it("keeps a document's own declaration in step with the file: renewed on re-ingest, gone with the document", async () => {
    const oldFile = ws.write("so-tay-dang-phi-2020.md", OLD_DUES);
    const newFile = ws.write("so-tay-dang-phi-2026.md", NEW_DUES);
    await run([oldFile, newFile]);
    expect((await run(["--replaces"])).out[0]).toMatch(/replaces Sổ tay mẫu về đảng phí \(bản 2020\).*\[declared in the document\]$/);
    fs.writeFileSync(newFile, NEW_DUES.replace("thay_the:\n  - so-tay-dang-phi-2020.md\n", ""));
    await run([newFile]);
    expect((await run(["--replaces"])).out).toEqual(["(no document declares that it replaces another)"]);
    fs.writeFileSync(newFile, NEW_DUES);
    await run([newFile]);
    expect(await run(["--remove", "so-tay-dang-phi-2026.md"])).toMatchObject({ code: 0 });
    expect((await run(["--replaces"])).out).toEqual(["(no document declares that it replaces another)"]);
  });
});
