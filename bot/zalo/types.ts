/**
 * Zalo Bot Platform shapes, kept lenient (the platform is young; see
 * shared/reference/zalo-bot-api.md). Ids are opaque strings; `date` is epoch milliseconds.
 */

export interface ZaloOk<T> {
  ok: true;
  result?: T;
}
export interface ZaloErr {
  ok: false;
  error_code?: number;
  description?: string;
}
export type ZaloResponse<T> = ZaloOk<T> | ZaloErr;

export interface ZaloBotInfo {
  id: string;
  account_name: string;
  account_type: string;
  can_join_groups: boolean;
}

export interface ZaloSent {
  message_id: string;
  date: number;
}

export interface ZaloWebhookState {
  url: string;
  updated_at?: number;
}

export type ZaloEventName =
  | "message.text.received"
  | "message.image.received"
  | "message.sticker.received"
  | "message.voice.received"
  | "message.unsupported.received"
  | (string & {});

export interface ZaloInboundMessage {
  message_id: string;
  date?: number;
  from: { id: string; display_name?: string; is_bot?: boolean; name?: string; first_name?: string };
  chat: { id: string; chat_type?: "PRIVATE" | "GROUP" | (string & {}) };
  text?: string;
  [extra: string]: unknown;
}

export interface ZaloUpdate {
  event_name: ZaloEventName;
  message?: ZaloInboundMessage;
}

export interface SendMessageParams {
  chat_id: string;
  /** 1..2000 characters. */
  text: string;
}

export interface SendChatActionParams {
  chat_id: string;
  action: "typing" | "upload_photo";
}

export interface SetWebhookParams {
  url: string;
  /** 8..256 characters. */
  secret_token: string;
}

/** Where Zalo posts updates. */
export const ZALO_WEBHOOK_PATH = "/webhooks/zalo";
