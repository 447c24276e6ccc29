import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { MemoryBm25, type Bm25Term } from "./memory-bm25.js";

/** Rows of a small random vocabulary with a few very common words, as questions and passages have ("dang", "vien"). */
function randomRows(seed: number, count: number): { folded: string[]; accented: string[]; pairs: string[] }[] {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const words = ["dang", "vien", "chi", "bo", "ket", "nap", "du", "bi", "tuoi", "phi", "sinh", "hoat", "ky", "luat", "huy", "hieu"];
  const pick = () => (random() < 0.4 ? words[Math.floor(random() * 3)]! : words[Math.floor(random() * words.length)]!);
  return Array.from({ length: count }, () => {
    const folded = Array.from({ length: 2 + Math.floor(random() * 14) }, pick);
    return { folded, accented: folded.map((w) => (w === "dang" ? "đảng" : w)), pairs: folded.slice(1).map((w, i) => `${folded[i]}_${w}`) };
  });
}

const COLUMNS = ["folded", "accented", "pairs"];
const WEIGHTS = [1.0, 0.5, 1.0];

describe("MemoryBm25", () => {
  it("ranks and scores as SQLite FTS5's bm25() does: column filters, weights, phrases", () => {
    const db = new Database(":memory:");
    db.exec(`CREATE VIRTUAL TABLE t USING fts5(folded, accented, pairs, tokenize = "unicode61 remove_diacritics 0 tokenchars '_'")`);
    const insert = db.prepare(`INSERT INTO t (rowid, folded, accented, pairs) VALUES (?, ?, ?, ?)`);
    const memory = new MemoryBm25(3, WEIGHTS, [2]);
    randomRows(42, 400).forEach((row, i) => {
      insert.run(i + 1, row.folded.join(" "), row.accented.join(" "), row.pairs.join(" "));
      memory.add(i + 1, [row.folded, row.accented, row.pairs]);
    });
    const term = (column: number, ...tokens: string[]): Bm25Term => ({ column, tokens });
    const queries: Bm25Term[][] = [
      [term(0, "dang")],
      [term(0, "ket"), term(0, "nap"), term(2, "ket_nap")],
      [term(0, "huy"), term(1, "đảng"), term(2, "huy_hieu"), term(0, "absent")],
      [term(2, "dang_vien"), term(0, "tuoi"), term(2, "chi_bo", "bo_dang")],
      [term(2, "dang_dang", "dang_dang"), term(1, "vien")],
    ];
    for (const terms of queries) {
      const match = terms.map((t) => `${COLUMNS[t.column]} : "${t.tokens.join(" ")}"`).join(" OR ");
      const sqlite = db.prepare(`SELECT rowid AS id, bm25(t, ${WEIGHTS.join(", ")}) AS rank FROM t WHERE t MATCH ? ORDER BY rank, rowid LIMIT 30`).all(match) as { id: number; rank: number }[];
      const ours = memory.search(terms, 30);
      expect(sqlite.length).toBeGreaterThan(0);
      expect(ours.map((h) => h.id)).toEqual(sqlite.map((r) => r.id));
      ours.forEach((h, i) => expect(h.score).toBeCloseTo(-sqlite[i]!.rank, 10));
    }
  });

  it("finds nothing in an empty index or for unknown terms", () => {
    const memory = new MemoryBm25(1);
    expect(memory.search([{ column: 0, tokens: ["dang"] }], 5)).toEqual([]);
    memory.add(1, [["dang", "vien"]]);
    expect(memory.search([{ column: 0, tokens: ["khong"] }], 5)).toEqual([]);
    expect(memory.search([{ column: 0, tokens: ["dang"] }], 5).map((h) => h.id)).toEqual([1]);
  });
});
