-- KnowledgeVersion bumped once per statement instead of once per row (PostgreSQL only; SQLite keeps
-- its row triggers). Every row trigger updated the one KnowledgeVersion row again in the same
-- transaction, and each update walks the row's chain of versions that transaction left: copying a
-- document of 10,000 passages took 2 s, of 50,000 passages 49 s (quadratic). A statement trigger
-- with its transition table still bumps nothing when a statement changes nothing. Hand-written.
DROP TRIGGER "Document_knowledge" ON "Document";
DROP TRIGGER "Passage_knowledge" ON "Passage";
DROP TRIGGER "Section_knowledge" ON "Section";
DROP TRIGGER "PassageSection_knowledge" ON "PassageSection";
DROP TRIGGER "SectionQuestion_knowledge" ON "SectionQuestion";

-- Each trigger below names its transition table "changed" (the rows inserted, updated or deleted).
CREATE FUNCTION "bump_knowledge_version_when_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM changed) THEN
        UPDATE "KnowledgeVersion" SET "version" = "version" + 1 WHERE "id" = 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER "Document_knowledge_insert" AFTER INSERT ON "Document" REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_knowledge_version_when_changed"();
CREATE TRIGGER "Document_knowledge_update" AFTER UPDATE ON "Document" REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_knowledge_version_when_changed"();
CREATE TRIGGER "Document_knowledge_delete" AFTER DELETE ON "Document" REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_knowledge_version_when_changed"();

CREATE TRIGGER "Passage_knowledge_insert" AFTER INSERT ON "Passage" REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_knowledge_version_when_changed"();
CREATE TRIGGER "Passage_knowledge_update" AFTER UPDATE ON "Passage" REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_knowledge_version_when_changed"();
CREATE TRIGGER "Passage_knowledge_delete" AFTER DELETE ON "Passage" REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_knowledge_version_when_changed"();

CREATE TRIGGER "Section_knowledge_insert" AFTER INSERT ON "Section" REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_knowledge_version_when_changed"();
CREATE TRIGGER "Section_knowledge_update" AFTER UPDATE ON "Section" REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_knowledge_version_when_changed"();
CREATE TRIGGER "Section_knowledge_delete" AFTER DELETE ON "Section" REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_knowledge_version_when_changed"();

CREATE TRIGGER "PassageSection_knowledge_insert" AFTER INSERT ON "PassageSection" REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_knowledge_version_when_changed"();
CREATE TRIGGER "PassageSection_knowledge_update" AFTER UPDATE ON "PassageSection" REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_knowledge_version_when_changed"();
CREATE TRIGGER "PassageSection_knowledge_delete" AFTER DELETE ON "PassageSection" REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_knowledge_version_when_changed"();

CREATE TRIGGER "SectionQuestion_knowledge_insert" AFTER INSERT ON "SectionQuestion" REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_knowledge_version_when_changed"();
CREATE TRIGGER "SectionQuestion_knowledge_update" AFTER UPDATE ON "SectionQuestion" REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_knowledge_version_when_changed"();
CREATE TRIGGER "SectionQuestion_knowledge_delete" AFTER DELETE ON "SectionQuestion" REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_knowledge_version_when_changed"();
