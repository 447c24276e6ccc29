-- Lexical search index over passages (SQLite FTS5). Prisma cannot declare virtual tables,
-- so they live here; the knowledge base writes rows with rowid = Passage.id in the same
-- transaction as the Passage rows.
--   folded:   accent-folded, lower-cased text (đ→d), so questions typed without accents match
--   accented: lower-cased text with its accents, so exact accented matches can rank higher
CREATE VIRTUAL TABLE "PassageFts" USING fts5(
    folded,
    accented,
    tokenize = 'unicode61 remove_diacritics 0'
);

-- Document frequencies of folded terms (query planning: skip terms in nearly every passage).
CREATE VIRTUAL TABLE "PassageFtsVocab" USING fts5vocab("PassageFts", 'row');

-- Keep the index in step even when passages are deleted by a cascade from Document.
CREATE TRIGGER "Passage_fts_delete" AFTER DELETE ON "Passage" BEGIN
    DELETE FROM "PassageFts" WHERE rowid = old."id";
END;
