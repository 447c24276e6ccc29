/** Where Telegram posts updates. */
export const TELEGRAM_WEBHOOK_PATH = "/webhooks/telegram";
