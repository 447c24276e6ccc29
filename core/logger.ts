/**
 * The process logger (pino). The server hands the same instance to Fastify so that
 * request logs and domain logs share one stream. Tokens and message text never go
 * into logs at info level.
 */
import { pino, type Logger } from "pino";
import type { Config } from "./config.js";

export type { Logger };

export function createLogger(config: Pick<Config, "LOG_LEVEL">, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      // Bot tokens travel in URL paths (Telegram and Zalo both); redact anything that looks like one.
      redact: { paths: ["token", "*.token", "headers.authorization", "req.headers[\"x-telegram-bot-api-secret-token\"]", "req.headers[\"x-bot-api-secret-token\"]"], remove: true },
    },
    destination,
  );
}

/** Logs to stderr, so CLI output on stdout stays machine-readable. */
export function createCliLogger(config: Pick<Config, "LOG_LEVEL">): Logger {
  return createLogger(config, pino.destination(2));
}
