-- Questions members asked, what the bot did, their feedback and picks (issue 9).
-- CreateTable
CREATE TABLE "QuestionLog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "asker" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "questionKey" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "shown" TEXT NOT NULL,
    "feedback" TEXT,
    "feedbackAt" DATETIME,
    "pickedSource" TEXT,
    "pickedPath" TEXT,
    "pickedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "QuestionLog_createdAt_idx" ON "QuestionLog"("createdAt");

-- CreateIndex
CREATE INDEX "QuestionLog_questionKey_pickedSource_pickedPath_idx" ON "QuestionLog"("questionKey", "pickedSource", "pickedPath");

