/**
 * The conversation core's message types. Adapters (bot/telegram, bot/zalo, bot/web)
 * turn platform updates into `IncomingMessage` and render `OutgoingMessage`; nothing
 * platform-specific crosses this line.
 */

/**
 * A platform's name as its adapter registers it in bot/platforms.ts ("telegram", "zalo",
 * "web"). The core knows no platform by name, so adding one touches only its folder.
 */
export type ChannelName = string;

export interface IncomingMessage {
  channel: ChannelName;
  /** Platform chat id, as a string (Zalo ids are opaque strings; Telegram's are numbers). */
  chatId: string;
  /** Platform user id of the sender. */
  userId: string;
  /** Display name, when the platform gives one. */
  userName?: string;
  /** NFC text ("" when the update carried none). */
  text: string;
  /** Platform message id of this message, when known. */
  messageId?: string;
  /** Platform message id of the message this one replies to (a notice, say). */
  replyToMessageId?: string;
  /** The `value` of a choice the user pressed (an inline button), when this is a button press. */
  choice?: string;
  /** Non-text updates (sticker, image, ...) arrive with kind "other". */
  kind: "text" | "choice" | "other";
  /**
   * The platform update this message came from, unique per channel ("telegram:8812"),
   * and the same when the update is processed again after a crash: features derive
   * their idempotency keys from it (a meeting created by update X exists once).
   * Absent on the web chat, which has no redelivery.
   */
  updateKey?: string;
  /** When that update was first received (the same on a replay). */
  receivedAt?: Date;
}

export interface Choice {
  /** Label shown to the user ("✅ Có mặt"). */
  label: string;
  /** Opaque value handed back in `IncomingMessage.choice` (≤ 64 bytes for Telegram). */
  value: string;
  /**
   * "feedback": a 👍 / 👎 on an answer. Shown side by side where there are buttons; where there are
   * none it is not numbered (a stray "1" must not judge an answer): the member types "đúng" / "sai".
   */
  kind?: "feedback";
}

/**
 * Formatted text is a small, platform-neutral subset: `**bold**` only, plus plain
 * text; each adapter escapes and renders it (HTML on Telegram, plain text on Zalo, `<strong>` on the web).
 */
export interface OutgoingMessage {
  text: string;
  choices?: Choice[];
  /**
   * A file handed over with the text (a generated DOCX): Telegram sends it as a document after
   * the text, the web chat offers it for download, Zalo (no file upload) gets a one-time link.
   * Direct replies only: the outbox stores messages as JSON and never carries files.
   */
  file?: OutgoingFile;
}

/** A file in a reply. */
export interface OutgoingFile {
  /** Shown to the user and used when saving ("bien-ban-hop-12.docx"). */
  fileName: string;
  mimeType: string;
  content: Uint8Array;
}

/** Sends messages on one channel; implemented by each adapter, used by replies and the outbox. */
export interface ChannelSender {
  readonly channel: ChannelName;
  /** Sends one message; resolves with the platform message id (of the first part, if split). */
  send(chatId: string, message: OutgoingMessage): Promise<{ messageId?: string }>;
}

/** Thrown by a ChannelSender when the platform says "slow down" or fails temporarily. */
export class ChannelSendError extends Error {
  constructor(
    message: string,
    /** true for 429 and 5xx and network errors: the outbox retries these. */
    readonly retryable: boolean,
    /** Seconds the platform asked us to wait (Telegram's retry_after). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "ChannelSendError";
  }
}

/**
 * A feature plugs commands and reply handling into the conversation core (the
 * handbook Q&A is one; meetings and attendance another). The core routes `/cmd args`
 * to the owner of `cmd`, offers choices and plain text to `onChoice` / `onText` in
 * order (first non-null wins), and treats remaining plain text as a question.
 */
export interface ConversationFeature {
  name: string;
  /** Command name without the slash (e.g. "hop") → handler receiving the text after it. */
  commands?: Record<string, (message: IncomingMessage, args: string) => Promise<OutgoingMessage[]>>;
  onChoice?(message: IncomingMessage): Promise<OutgoingMessage[] | null>;
  onText?(message: IncomingMessage): Promise<OutgoingMessage[] | null>;
  /**
   * A question (typed, or after /hoi) before it is searched: the feature may answer it itself
   * (an exact reference, "Điều 5 Điều lệ", opens that section) or put a line above the search's
   * answer (which document replaced the one the question names); null leaves it to the search.
   */
  onQuestion?(message: IncomingMessage, question: string): Promise<QuestionOutcome | null>;
  /** Lines this feature adds to /trogiup, in Vietnamese. */
  helpLines?: string[];
  /** Its commands act for a linked member: its help lines are left out where no account can be linked (the web chat). */
  needsAccount?: boolean;
}

/** What a feature does with a question before the search (see ConversationFeature.onQuestion). */
export type QuestionOutcome = { replies: OutgoingMessage[] } | { preface: string };
