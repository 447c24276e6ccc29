-- The inbox replaces ProcessedUpdate: updates are stored before they are acknowledged and processed
-- from there. Keys already handled are carried over as processed rows, so a redelivery that arrives
-- across the upgrade is still recognised.

-- CreateTable
CREATE TABLE "InboxUpdate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "updateKey" TEXT NOT NULL,
    "chatKey" TEXT NOT NULL DEFAULT '',
    "payload" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "InboxUpdate_status_nextAttemptAt_idx" ON "InboxUpdate"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "InboxUpdate_receivedAt_idx" ON "InboxUpdate"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "InboxUpdate_channel_updateKey_key" ON "InboxUpdate"("channel", "updateKey");

-- Carry over the keys already handled
INSERT INTO "InboxUpdate" ("channel", "updateKey", "status", "receivedAt", "processedAt")
SELECT "channel", "updateKey", 'done', "receivedAt", "receivedAt" FROM "ProcessedUpdate";

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "ProcessedUpdate";
PRAGMA foreign_keys=on;

-- AlterTable
ALTER TABLE "Meeting" ADD COLUMN "sourceKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_sourceKey_key" ON "Meeting"("sourceKey");

-- CreateTable
CREATE TABLE "MeetingChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "meetingId" INTEGER NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "timeChanged" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MeetingChange_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "MeetingChange_sourceKey_key" ON "MeetingChange"("sourceKey");

-- CreateIndex
CREATE INDEX "MeetingChange_meetingId_idx" ON "MeetingChange"("meetingId");
