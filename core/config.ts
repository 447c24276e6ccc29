/**
 * The product's configuration, read once from the environment and validated.
 * Every variable is documented in .env.example and the README.
 *
 *   const config = loadConfig();            // process.env
 *   const config = loadConfig({ DATA_DIR: tmp }); // tests: an explicit environment
 */
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** Repository root, so defaults work from any working directory. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const bool = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no", "on", "off", ""])
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : ["true", "1", "yes", "on"].includes(v)));

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const durationList = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const items = (v ?? "1d,2h").split(",").map((s) => s.trim()).filter(Boolean);
    const minutes: number[] = [];
    for (const item of items) {
      const m = /^(\d+)\s*([dhm])$/i.exec(item);
      if (!m) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${item}" is not a duration like 1d, 2h or 30m` });
        return z.NEVER;
      }
      const unit = m[2]!.toLowerCase();
      minutes.push(Number(m[1]) * (unit === "d" ? 1440 : unit === "h" ? 60 : 1));
    }
    return minutes;
  });

/** "3,1" → [3, 1]: whole days before a deadline, each at most a year. */
const dayList = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const items = (v?.trim() ? v : fallback).split(",").map((s) => s.trim()).filter(Boolean);
      const days: number[] = [];
      for (const item of items) {
        if (!/^\d{1,3}$/.test(item) || Number(item) > 366) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${item}" is not a number of days (0-366)` });
          return z.NEVER;
        }
        days.push(Number(item));
      }
      return [...new Set(days)].sort((a, b) => b - a);
    });

/** Every variable the product reads (exported so a test can hold .env.example and the README to it). */
export const configSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  // storage
  DATA_DIR: z.string().default(path.join(PROJECT_ROOT, "data")),
  DATABASE_URL: optionalString,
  MODELS_DIR: optionalString,

  // knowledge base
  EMBEDDING_MODEL: z.string().default("Xenova/multilingual-e5-small"),
  ALLOW_MODEL_DOWNLOAD: bool(false),
  SAMPLE_HANDBOOK_DIR: z.string().default(path.join(PROJECT_ROOT, "data", "handbook")),
  AUTO_INGEST_SAMPLE: bool(true),
  SYNONYMS_FILE: z.string().default(path.join(PROJECT_ROOT, "data", "synonyms.txt")),
  ABBREVIATIONS_FILE: z.string().default(path.join(PROJECT_ROOT, "data", "abbreviations.txt")),
  DOMAIN_TERMS_FILE: z.string().default(path.join(PROJECT_ROOT, "data", "domain-terms.txt")),
  QUESTIONS_DIR: z.string().default(path.join(PROJECT_ROOT, "data", "questions")),
  AMENDMENTS_FILE: z.string().default(path.join(PROJECT_ROOT, "data", "amendments.txt")),
  // learning from members: how long asked questions are kept; picks that teach a question
  QUESTION_LOG_DAYS: z.coerce.number().int().min(1).default(180),
  AUTO_TEACH_PICKS: z.coerce.number().int().min(0).default(3),
  // Searches run in this many worker threads; default: one per core but the server's own.
  SEARCH_THREADS: z.coerce.number().int().min(1).max(64).default(Math.max(1, os.availableParallelism() - 1)),
  // PostgreSQL: an instance silent this long (kill -9, a lost machine) loses its claimed work to the
  // others; it heartbeats every fifth of it. The same value on every instance.
  CLUSTER_LEASE_SECONDS: z.coerce.number().int().min(5).max(600).default(15),
  // npm run ingest refuses a larger file (in MB, 1,048,576 bytes); the other files still go in
  MAX_INGEST_MB: z.coerce.number().positive().default(50),

  // server
  HOST: z.string().default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: optionalString,
  WEB_CHAT_ENABLED: bool(true),
  QUESTIONS_PER_MINUTE: z.coerce.number().int().min(1).default(20),

  // telegram
  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_WEBHOOK_SECRET: optionalString,
  TELEGRAM_MODE: z.enum(["webhook", "polling"]).default("webhook"),
  TELEGRAM_API_ROOT: z.string().url().default("https://api.telegram.org"),
  TELEGRAM_RATE_PER_SECOND: z.coerce.number().positive().default(30),
  TELEGRAM_RATE_PER_CHAT_PER_SECOND: z.coerce.number().positive().default(1),

  // zalo
  ZALO_BOT_TOKEN: optionalString,
  ZALO_WEBHOOK_SECRET: optionalString,
  ZALO_MODE: z.enum(["webhook", "polling"]).default("webhook"),
  ZALO_API_ROOT: z.string().url().default("https://bot-api.zaloplatforms.com"),
  ZALO_RATE_PER_SECOND: z.coerce.number().positive().default(10),

  // meetings
  TIMEZONE: z.string().default("Asia/Ho_Chi_Minh"),
  REMINDER_OFFSETS: durationList,
  INVITE_TTL_HOURS: z.coerce.number().positive().default(72),
  // registration (/dangky) against guessing: wrong codes allowed per window, then a lockout
  REGISTRATION_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  REGISTRATION_MAX_FAILURES_GLOBAL: z.coerce.number().int().min(1).default(50),
  REGISTRATION_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  REGISTRATION_LOCKOUT_MINUTES: z.coerce.number().int().min(1).default(60),

  // study tasks, yearly evaluation, generated documents
  STUDY_REMINDER_DAYS: dayList("3,1"),
  EVALUATION_REMINDER_DAYS: dayList("3,1"),
  EVALUATION_EXCELLENT_CAP_PERCENT: z.coerce.number().min(0).max(100).default(20),
  EVALUATION_DISCIPLINED_MAX_GRADE: z.enum(["xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh"]).default("hoan_thanh"),
  DOWNLOAD_LINK_TTL_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(60),
});

export type Config = ReturnType<typeof loadConfig>;

/** Reads ./.env into process.env when it exists; variables already set win. */
function loadDotEnv(file = path.resolve(".env")): void {
  try {
    process.loadEnvFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`Cannot read ${file}: ${(err as Error).message}`);
  }
}

/** Validates the environment; throws one readable error listing every bad variable. */
export function loadConfig(env?: Record<string, string | undefined>) {
  if (env === undefined) {
    loadDotEnv();
    env = process.env;
  }
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const c = parsed.data;
  const dataDir = path.resolve(c.DATA_DIR);
  return {
    ...c,
    DATA_DIR: dataDir,
    DATABASE_URL: c.DATABASE_URL ?? `file:${path.join(dataDir, "sotay.db")}`,
    MODELS_DIR: path.resolve(c.MODELS_DIR ?? path.join(dataDir, "models")),
    /** Where the vector index and other index files live. */
    INDEX_DIR: path.join(dataDir, "store"),
  };
}
