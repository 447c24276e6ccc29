/**
 * Generated files handed out by a link that works once and expires (Zalo bots cannot upload
 * files). Only the token's SHA-256 is stored, like invite codes; a file's bytes are wiped when it
 * is downloaded, and expired or used rows are deleted whenever a new link is made.
 *
 *   const links = createDownloadLinks(prisma, { ttlMinutes: 60 });
 *   const token = await links.create({ fileName: "bien-ban.docx", mimeType, content });
 *   await links.claim(token);   // the file, the first time only; null afterwards
 */
import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import type { OutgoingFile } from "../conversation/types.js";

export interface DownloadLinks {
  /** Stores the file; returns the token that names it in a link. */
  create(file: OutgoingFile): Promise<string>;
  /** The file a still-usable token names, without using it up (for the page before the download). */
  peek(token: string): Promise<{ fileName: string; size: number; expiresAt: Date } | null>;
  /** Uses the token: the file the first time within its lifetime, null otherwise. */
  claim(token: string): Promise<OutgoingFile | null>;
  /** How long a link lives, in minutes. */
  readonly ttlMinutes: number;
}

/** What a token in a URL looks like (base64url of 24 random bytes). */
export const DOWNLOAD_TOKEN = /^[A-Za-z0-9_-]{32}$/;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Download links over the product's database. */
export function createDownloadLinks(
  prisma: PrismaClient,
  options: { ttlMinutes: number; clock?: () => Date },
): DownloadLinks {
  const clock = options.clock ?? (() => new Date());
  return {
    ttlMinutes: options.ttlMinutes,
    async create(file) {
      const now = clock();
      // Old rows are useless once expired or used: keep the table small and hold no stale personal data.
      await prisma.downloadLink.deleteMany({ where: { OR: [{ expiresAt: { lt: now } }, { usedAt: { not: null } }] } });
      const token = randomBytes(24).toString("base64url");
      await prisma.downloadLink.create({
        data: {
          tokenHash: hashToken(token),
          fileName: file.fileName,
          mimeType: file.mimeType,
          content: Buffer.from(file.content),
          expiresAt: new Date(now.getTime() + options.ttlMinutes * 60_000),
        },
      });
      return token;
    },
    async peek(token) {
      if (!DOWNLOAD_TOKEN.test(token)) return null;
      const row = await prisma.downloadLink.findUnique({ where: { tokenHash: hashToken(token) } });
      if (!row || row.usedAt || row.expiresAt.getTime() <= clock().getTime()) return null;
      return { fileName: row.fileName, size: row.content.length, expiresAt: row.expiresAt };
    },
    async claim(token) {
      if (!DOWNLOAD_TOKEN.test(token)) return null;
      const tokenHash = hashToken(token);
      const now = clock();
      // One conditional UPDATE: two simultaneous downloads cannot both win.
      const { count } = await prisma.downloadLink.updateMany({
        where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      if (count === 0) return null;
      const row = await prisma.downloadLink.findUniqueOrThrow({ where: { tokenHash } });
      await prisma.downloadLink.update({ where: { tokenHash }, data: { content: Buffer.alloc(0) } });
      return { fileName: row.fileName, mimeType: row.mimeType, content: row.content };
    },
  };
}
