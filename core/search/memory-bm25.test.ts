import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { MemoryBm25, type Bm25Term } from "./memory-bm25.js";

/** A small random vocabulary with a few very common words, as questions have ("dang", "vien"). */
function randomRows(seed: number, count: number): string[][][] {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const words = ["dang", "vien", "chi", "bo", "ket", "nap", "du", "bi", "tuoi", "phi", "sinh", "hoat", "ky", "luat", "huy", "hieu"];
  const pick = () => (random() < 0.4 ? words[Math.floor(random() * 3)]! : words[Math.floor(random() * words.length)]!);
  return Array.from({ length: count }, () => {
    const folded = Array.from({ length: 2 + Math.floor(random() * 10) }, pick);
    const pairs = folded.slice(1).map((w, i) => `${folded[i]}_${w}`);
    return [folded, pairs];
  });
}

describe("MemoryBm25", () => {
  it("ranks and scores as SQLite FTS5's bm25() does", () => {
    const db = new Database(":memory:");
    db.exec(`CREATE VIRTUAL TABLE t USING fts5(folded, pairs, tokenize = "unicode61 remove_diacritics 0 tokenchars '_'")`);
    const insert = db.prepare(`INSERT INTO t (rowid, folded, pairs) VALUES (?, ?, ?)`);
    const memory = new MemoryBm25(["folded", "pairs"]);
    randomRows(42, 300).forEach(([folded, pairs], i) => {
      insert.run(i + 1, folded!.join(" "), pairs!.join(" "));
      memory.add(i + 1, [folded!, pairs!]);
    });
    const queries: Bm25Term[][] = [
      [{ column: 0, token: "dang" }],
      [{ column: 0, token: "ket" }, { column: 0, token: "nap" }, { column: 1, token: "ket_nap" }],
      [{ column: 0, token: "huy" }, { column: 0, token: "dang" }, { column: 1, token: "huy_hieu" }, { column: 0, token: "absent" }],
      [{ column: 1, token: "dang_vien" }, { column: 0, token: "tuoi" }],
    ];
    for (const terms of queries) {
      const match = terms.map((t) => `${t.column ? "pairs" : "folded"} : "${t.token}"`).join(" OR ");
      const sqlite = db.prepare(`SELECT rowid AS id, bm25(t, 1.0, 1.0) AS rank FROM t WHERE t MATCH ? ORDER BY rank, rowid LIMIT 25`).all(match) as { id: number; rank: number }[];
      const ours = memory.search(terms, 25);
      expect(ours.map((h) => h.id)).toEqual(sqlite.map((r) => r.id));
      ours.forEach((h, i) => expect(h.score).toBeCloseTo(-sqlite[i]!.rank, 10));
    }
  });

  it("finds nothing in an empty index or for unknown terms", () => {
    const memory = new MemoryBm25(["folded"]);
    expect(memory.search([{ column: 0, token: "dang" }], 5)).toEqual([]);
    memory.add(1, [["dang", "vien"]]);
    expect(memory.search([{ column: 0, token: "khong" }], 5)).toEqual([]);
    expect(memory.search([{ column: 0, token: "dang" }], 5).map((h) => h.id)).toEqual([1]);
  });
});
