-- Adds a `pairs` column to the lexical index: each pair of adjacent folded syllables as one
-- token ("vao_dang"), so Vietnamese two-syllable words are looked up like single terms with
-- their own document frequency instead of costly phrase queries over very common syllables.
-- The knowledge base refills the index at open when it finds passages missing from it.
DROP TABLE IF EXISTS "PassageFtsVocab";
DROP TABLE IF EXISTS "PassageFts";

CREATE VIRTUAL TABLE "PassageFts" USING fts5(
    folded,
    accented,
    pairs,
    tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
);

CREATE VIRTUAL TABLE "PassageFtsVocab" USING fts5vocab("PassageFts", 'row');
