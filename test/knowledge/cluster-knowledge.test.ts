/**
 * Two servers on one PostgreSQL database, each with its own DATA_DIR (its local knowledge copy):
 * a document ingested through the first (the ingest CLI on its DATA_DIR) is answered by the
 * second on its web chat, without a restart (core/knowledge/replica.ts, replica-follower.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main as ingest } from "../../ingest/cli.js";
import { freshPostgresqlDatabase, TEST_ENGINE } from "../support/database.js";
import { startServerProcess, until as waitFor, type ServerProcess } from "../support/server-process.js";


type Server = ServerProcess;

function start(env: Record<string, string>): Server {
  return startServerProcess(env, "sotay-cluster-");
}

const until = <T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 90_000) => waitFor(probe, what, timeoutMs);

async function ready(server: Server): Promise<string> {
  const base = await until(() => /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())?.[1], "the server to listen");
  await until(async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined), `${base}/readyz`);
  return base;
}

async function ask(base: string, text: string): Promise<string> {
  const res = await fetch(`${base}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ sessionId: `cluster-test-${Math.random().toString(36).slice(2)}`, text }) });
  const { replies } = (await res.json()) as { replies: { text: string }[] };
  return replies.map((r) => r.text).join("\n");
}

const NEW_DOCUMENT = `# Hướng dẫn thử về sổ đảng viên điện tử

## Mật khẩu sổ đảng viên điện tử đổi khi nào?
Đảng viên đổi mật khẩu sổ đảng viên điện tử sau chín mươi ngày sử dụng, tại chi bộ nơi sinh hoạt.
`;

describe.skipIf(TEST_ENGINE !== "postgresql")("two servers on one PostgreSQL database (runs in the postgresql project only)", () => {
  const running: Server[] = [];
  afterEach(async () => {
    for (const s of running.splice(0)) {
      if (s.child.exitCode === null) {
        s.child.kill("SIGTERM");
        await s.exited;
      }
    }
  });

  it("answers on the second a document ingested through the first, within seconds and without a restart", async () => {
    const url = await freshPostgresqlDatabase();
    const first = start({ DATABASE_URL: url });
    running.push(first);
    const base1 = await ready(first);
    expect(first.output()).toContain("ingesting the sample handbook");
    const second = start({ DATABASE_URL: url });
    running.push(second);
    const base2 = await ready(second);
    // The second found the sample handbook in the database: it pulled it instead of ingesting it again.
    expect(second.output()).not.toContain("ingesting the sample handbook");
    expect(second.output()).toMatch(/"msg":"knowledge: pulled"/);

    const question = "mật khẩu sổ đảng viên điện tử đổi khi nào";
    expect(await ask(base2, question)).not.toContain("chín mươi ngày");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-cluster-doc-"));
    fs.writeFileSync(path.join(dir, "so-dang-vien-dien-tu.md"), NEW_DOCUMENT);
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    expect(await ingest([dir], { ...process.env, DATA_DIR: first.dataDir, DATABASE_URL: url, LOG_LEVEL: "warn" }, io), lines.join("\n")).toBe(0);

    const answer = await until(async () => {
      const text = await ask(base2, question);
      return text.includes("chín mươi ngày") ? text : undefined;
    }, "the second server to answer from the new document", 30_000);
    expect(answer).toContain("chín mươi ngày");
    expect(await ask(base1, question)).toContain("chín mươi ngày");
  });
});
