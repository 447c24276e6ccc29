import fs from "node:fs";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "./cli.js";
import { REGULATION_LIKE } from "./fixture-documents.js";
import type { IngestStage } from "./pipeline.js";
import { describeStage, overallFraction, progressBar, progressLines } from "./progress.js";
import { ingestWorkspace, type IngestWorkspace } from "./test-fixtures.js";

let ws: IngestWorkspace;
beforeEach(() => {
  ws = ingestWorkspace("ingest-progress-");
});
afterEach(() => ws.remove());

/** A stream that says it is a terminal, keeping what is drawn on it. */
function fakeTerminal() {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
  let text = "";
  stream.on("data", (d: Buffer) => (text += d.toString()));
  return { stream, drawn: () => text };
}

const stage = (over: Partial<IngestStage>): IngestStage => ({
  file: "/x/big.txt",
  source: "big.txt",
  index: 0,
  total: 2,
  stage: "reading",
  bytes: 300,
  bytesBefore: 0,
  totalBytes: 400,
  ...over,
});

describe("MAX_INGEST_MB", () => {
  it("refuses a larger file with the reason, and the other files still go in", async () => {
    const small = ws.write("qd999-mau.txt", REGULATION_LIKE);
    const big = ws.write("lon.txt", REGULATION_LIKE.repeat(40));
    const lines: string[] = [];
    const code = await main([big, small], { ...ws.env, MAX_INGEST_MB: "0.05" }, { out: (l) => lines.push(l), err: (l) => lines.push(l) });
    expect(code).toBe(1);
    expect(lines.find((l) => l.startsWith("[1/2] lon.txt: FAILED: "))).toMatch(/^\[1\/2\] lon\.txt: FAILED: lon\.txt is \d+ KB \([\d,]+ bytes\), more than MAX_INGEST_MB=0\.05 allows; split it into smaller files or raise MAX_INGEST_MB$/);
    expect(lines.find((l) => l.startsWith("[2/2] qd999-mau.txt: "))).toMatch(/passages \(added\)$/);
    expect(lines).toContain("2 file(s): 1 added, 0 replaced, 0 unchanged, 1 failed");
  });

  it("lets a file of the limit's size in", async () => {
    const file = ws.write("qd999-mau.txt", REGULATION_LIKE);
    const mb = String(fs.statSync(file).size / 1024 / 1024);
    const lines: string[] = [];
    expect(await main([file], { ...ws.env, MAX_INGEST_MB: mb }, { out: (l) => lines.push(l), err: (l) => lines.push(l) })).toBe(0);
  });
});

describe("ingest progress", () => {
  it("moves forward through the stages of each file, weighted by size", () => {
    const steps = [
      stage({ stage: "reading" }),
      stage({ stage: "parsing" }),
      stage({ stage: "storing", done: 100, of: 1000 }),
      stage({ stage: "storing", done: 1000, of: 1000 }),
      stage({ stage: "indexing", done: 500, of: 1000 }),
      stage({ index: 1, stage: "reading", bytes: 100, bytesBefore: 300 }),
      stage({ index: 1, stage: "indexing", done: 10, of: 10, bytes: 100, bytesBefore: 300 }),
    ].map(overallFraction);
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThan(steps[i - 1]!);
    expect(steps[5]).toBeCloseTo(0.75);
    expect(steps.at(-1)).toBeCloseTo(1);
    expect(describeStage(stage({ stage: "storing", done: 31000, of: 71185 }))).toBe("storing 31,000/71,185 passages");
  });

  it("is a line per file when the output is not a terminal", () => {
    const lines: string[] = [];
    const view = progressLines((l) => lines.push(l));
    view.stage(stage({ stage: "storing", done: 1, of: 2 }));
    view.fileDone({ file: "/x/big.txt", source: "big.txt", outcome: "added", passages: 2 }, 0, 2);
    view.stop();
    expect(lines).toEqual(["[1/2] big.txt: 2 passages (added)"]);
  });

  it("draws a bar with the file's stage on a terminal, the finished files' lines above it", () => {
    const { stream, drawn } = fakeTerminal();
    const view = progressBar(stream);
    // Drawn from the report itself, at once: a large file is written without the event loop turning.
    view.stage(stage({ stage: "storing", done: 500, of: 1000 }));
    expect(drawn()).toContain("1/2 big.txt: storing 500/1,000 passages");
    view.fileDone({ file: "/x/big.txt", source: "big.txt", outcome: "added", passages: 1000 }, 0, 2);
    view.stop();
    expect(drawn()).toContain("[1/2] big.txt: 1000 passages (added)\n");
    expect(drawn()).toMatch(/ingest \[[█░]+\] \d+% \| /);
  });

  it("is what the CLI draws on a terminal", async () => {
    const { stream, drawn } = fakeTerminal();
    const file = ws.write("qd999-mau.txt", REGULATION_LIKE);
    const lines: string[] = [];
    expect(await main([file], ws.env, { out: (l) => lines.push(l), err: (l) => lines.push(l), terminal: stream })).toBe(0);
    expect(drawn()).toMatch(/\[1\/1\] qd999-mau\.txt: \d+ passages \(added\)\n/);
    expect(drawn()).toContain("100% | 1/1 all files: done");
    expect(lines).toContain("1 file(s): 1 added, 0 replaced, 0 unchanged, 0 failed");
  });
});
