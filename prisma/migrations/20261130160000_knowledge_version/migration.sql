-- What search reads changes only with these tables, whoever writes them (the server, the ingest
-- CLI, an officer teaching a question). Their triggers bump one counter, so a reader (a search
-- thread, a server beside the CLI) drops its caches only when the knowledge changed: SQLite's
-- data_version changes on every commit of another connection (inbox, outbox...).
-- CreateTable
CREATE TABLE "KnowledgeVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "version" INTEGER NOT NULL
);

INSERT INTO "KnowledgeVersion" ("id", "version") VALUES (1, 0);

CREATE TRIGGER "Document_knowledge_insert" AFTER INSERT ON "Document" BEGIN
    UPDATE "KnowledgeVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "Document_knowledge_update" AFTER UPDATE ON "Document" BEGIN
    UPDATE "KnowledgeVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "Document_knowledge_delete" AFTER DELETE ON "Document" BEGIN
    UPDATE "KnowledgeVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "Passage_knowledge_insert" AFTER INSERT ON "Passage" BEGIN
    UPDATE "KnowledgeVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "Passage_knowledge_update" AFTER UPDATE ON "Passage" BEGIN
    UPDATE "KnowledgeVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "Passage_knowledge_delete" AFTER DELETE ON "Passage" BEGIN
    UPDATE "KnowledgeVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "Section_knowledge_insert" AFTER INSERT ON "Section" BEGIN
    UPDATE "KnowledgeVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "Section_knowledge_update" AFTER UPDATE ON "Section" BEGIN
    UPDATE "KnowledgeVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "Section_knowledge_delete" AFTER DELETE ON "Section" BEGIN
    UPDATE "KnowledgeVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "PassageSection_knowledge_insert" AFTER INSERT ON "PassageSection" BEGIN
    UPDATE "KnowledgeVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "PassageSection_knowledge_update" AFTER UPDATE ON "PassageSection" BEGIN
    UPDATE "KnowledgeVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "PassageSection_knowledge_delete" AFTER DELETE ON "PassageSection" BEGIN
    UPDATE "KnowledgeVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "SectionQuestion_knowledge_insert" AFTER INSERT ON "SectionQuestion" BEGIN
    UPDATE "KnowledgeVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "SectionQuestion_knowledge_update" AFTER UPDATE ON "SectionQuestion" BEGIN
    UPDATE "KnowledgeVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "SectionQuestion_knowledge_delete" AFTER DELETE ON "SectionQuestion" BEGIN
    UPDATE "KnowledgeVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;
