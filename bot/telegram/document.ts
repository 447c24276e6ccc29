/**
 * Files in Telegram replies: sent with sendDocument (multipart upload) after the message's text.
 *
 *   await sendTelegramDocument(api, chatId, { fileName: "bien-ban.docx", mimeType, content });
 */
import { InputFile, type Api } from "grammy";
import type { OutgoingFile } from "../../core/conversation/types.js";

/** Uploads the file to the chat; resolves with the sent message's id. */
export async function sendTelegramDocument(api: Api, chatId: string, file: OutgoingFile): Promise<string> {
  const sent = await api.sendDocument(chatId, new InputFile(file.content, file.fileName));
  return String(sent.message_id);
}
