import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestEnv, type TestEnv } from "../../test/meetings/helpers.js";
import { findDocuments } from "./documents.js";

let env: TestEnv;
beforeEach(async () => {
  env = await openTestEnv();
  const add = (source: string, title: string, number: string | null, docType: string) =>
    env.store.prisma.document.create({ data: { source, path: `/t/${source}`, sha256: source, format: "txt", title, number, docType } });
  await add("dieu-le.txt", "Điều lệ Đảng Cộng sản Việt Nam", null, "Điều lệ");
  await add("qd294.txt", "Quy định thi hành Điều lệ Đảng", "294-QĐ/TW", "Quy định");
  await add("qd294.pdf", "Quy định thi hành Điều lệ Đảng", "294-QĐ/TW", "Quy định");
  await add("hd06.txt", "Hướng dẫn một số vấn đề cụ thể thi hành Điều lệ Đảng", "06-HD/TW", "Hướng dẫn");
});
afterEach(async () => env.cleanup());

describe("naming a document for a study task", () => {
  it("by number, by words of the title, accents optional; copies count once", async () => {
    expect((await findDocuments(env.store.prisma, "294")).map((d) => d.number)).toEqual(["294-QĐ/TW"]);
    expect((await findDocuments(env.store.prisma, "quy dinh 294-QĐ/TW")).map((d) => d.source)).toEqual(["qd294.txt"]);
    expect((await findDocuments(env.store.prisma, "06-HD/TW")).map((d) => d.source)).toEqual(["hd06.txt"]);
    expect((await findDocuments(env.store.prisma, "Điều lệ Đảng")).map((d) => d.source)).toEqual(["dieu-le.txt"]);
    expect((await findDocuments(env.store.prisma, "thi hanh dieu le")).map((d) => d.source)).toEqual(["qd294.txt", "hd06.txt"]);
    expect(await findDocuments(env.store.prisma, "nghị quyết 57")).toEqual([]);
  });
});
