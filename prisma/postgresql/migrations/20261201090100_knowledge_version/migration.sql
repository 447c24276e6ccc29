-- The KnowledgeVersion counter (SQLite: 20261130160000_knowledge_version) on PostgreSQL: any change to a
-- table search reads (Document, Passage, Section, PassageSection, SectionQuestion), by any instance or
-- the ingest CLI, bumps one counter, so a reader keeps its caches until the knowledge really changed.
-- Row-level, as on SQLite: a statement that changes nothing bumps nothing. Hand-written.
INSERT INTO "KnowledgeVersion" ("id", "version") VALUES (1, 0);

CREATE FUNCTION "bump_knowledge_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "KnowledgeVersion" SET "version" = "version" + 1 WHERE "id" = 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER "Document_knowledge" AFTER INSERT OR UPDATE OR DELETE ON "Document"
    FOR EACH ROW EXECUTE FUNCTION "bump_knowledge_version"();
CREATE TRIGGER "Passage_knowledge" AFTER INSERT OR UPDATE OR DELETE ON "Passage"
    FOR EACH ROW EXECUTE FUNCTION "bump_knowledge_version"();
CREATE TRIGGER "Section_knowledge" AFTER INSERT OR UPDATE OR DELETE ON "Section"
    FOR EACH ROW EXECUTE FUNCTION "bump_knowledge_version"();
CREATE TRIGGER "PassageSection_knowledge" AFTER INSERT OR UPDATE OR DELETE ON "PassageSection"
    FOR EACH ROW EXECUTE FUNCTION "bump_knowledge_version"();
CREATE TRIGGER "SectionQuestion_knowledge" AFTER INSERT OR UPDATE OR DELETE ON "SectionQuestion"
    FOR EACH ROW EXECUTE FUNCTION "bump_knowledge_version"();

-- TRUNCATE fires no row triggers: count it too (once per statement).
CREATE TRIGGER "Document_knowledge_truncate" AFTER TRUNCATE ON "Document"
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_knowledge_version"();
CREATE TRIGGER "Passage_knowledge_truncate" AFTER TRUNCATE ON "Passage"
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_knowledge_version"();
CREATE TRIGGER "Section_knowledge_truncate" AFTER TRUNCATE ON "Section"
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_knowledge_version"();
CREATE TRIGGER "PassageSection_knowledge_truncate" AFTER TRUNCATE ON "PassageSection"
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_knowledge_version"();
CREATE TRIGGER "SectionQuestion_knowledge_truncate" AFTER TRUNCATE ON "SectionQuestion"
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_knowledge_version"();
