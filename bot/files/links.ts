/**
 * Files on channels that cannot upload them (Zalo): the file is stored behind a one-time link
 * (core/files/download-links.ts, served by ./plugin.ts) and the message carries the link instead.
 *
 *   const fileLinks = createFileLinks(downloadLinks, config.PUBLIC_URL);
 *   const sendable = await fileAsLink(message, fileLinks);   // no `file`, a link line in the text
 */
import type { DownloadLinks } from "../../core/files/download-links.js";
import type { OutgoingFile, OutgoingMessage } from "../../core/conversation/types.js";
import { F } from "./strings.js";
import { FILES_PATH } from "./plugin.js";

export interface FileLinks {
  /** A public URL that downloads the file once, or null when the server has no public address. */
  issue(file: OutgoingFile): Promise<string | null>;
  readonly ttlMinutes: number;
}

/** Links under `publicUrl` (PUBLIC_URL); without one no link can be given. */
export function createFileLinks(links: DownloadLinks, publicUrl: string | undefined): FileLinks {
  const base = publicUrl?.replace(/\/+$/, "");
  return {
    ttlMinutes: links.ttlMinutes,
    async issue(file) {
      if (!base) return null;
      return `${base}${FILES_PATH}/${await links.create(file)}`;
    },
  };
}

/** The message with its file turned into a link line (or a note that none can be given). */
export async function fileAsLink(message: OutgoingMessage, links: FileLinks | undefined): Promise<OutgoingMessage> {
  const { file, ...rest } = message;
  if (!file) return message;
  const url = links ? await links.issue(file) : null;
  const line = url ? F.linkLine(file.fileName, url, links!.ttlMinutes) : F.noPublicUrl(file.fileName);
  return { ...rest, text: rest.text ? `${rest.text}\n\n${line}` : line };
}
