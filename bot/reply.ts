/**
 * What every channel does with an incoming message once it is translated: hand it to
 * the conversation core (showing "typing…" when a search is slow) and send the replies
 * in order. A reply that fails is logged and the next one still goes; `onFailure` may
 * throw to stop there (Telegram asks for a redelivery when nothing reached the user).
 *
 *   await handleAndReply({ conversation, sender, logger, typing: (chatId) => api.sendChatAction(chatId, "typing") }, message);
 */
import type { Conversation } from "../core/conversation/conversation.js";
import { ChannelSendError, type ChannelSender, type IncomingMessage } from "../core/conversation/types.js";
import type { Logger } from "../core/logger.js";

export interface ReplyDeps {
  conversation: Conversation;
  sender: ChannelSender;
  logger: Logger;
  /** Shows "typing…" in the chat; a failure is ignored. */
  typing(chatId: string): Promise<unknown>;
}

/** Called after a reply failed (`error` is undefined for an unexpected failure), with how many went before it. */
export type OnReplyFailure = (error: ChannelSendError | undefined, delivered: number) => void;

/** Answers `message` in its chat. */
export async function handleAndReply(deps: ReplyDeps, message: IncomingMessage, onFailure?: OnReplyFailure): Promise<void> {
  const { conversation, sender, logger } = deps;
  const replies = await conversation.handle(message, {
    onSearching: () => void deps.typing(message.chatId).catch(() => undefined),
  });
  let delivered = 0;
  for (const r of replies) {
    try {
      await sender.send(message.chatId, r);
      delivered++;
    } catch (err) {
      const e = err instanceof ChannelSendError ? err : undefined;
      logger.error({ err: e?.message ?? String(err), retryable: e?.retryable }, `${sender.channel} reply not delivered`);
      onFailure?.(e, delivered);
    }
  }
}
