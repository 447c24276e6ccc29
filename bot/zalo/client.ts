/**
 * A small typed client for the Zalo Bot Platform HTTP API: POST JSON to
 * `${apiRoot}/bot${token}/${method}`, always read `ok` (errors can arrive with HTTP 200),
 * and never let the token (it sits in the URL path) reach an error message or a log.
 *
 *   const zalo = new ZaloClient({ token, apiRoot: "https://bot-api.zaloplatforms.com" });
 *   const me = await zalo.getMe();
 *   await zalo.sendMessage({ chat_id: "abc", text: "Xin chào" });
 */
import type {
  SendChatActionParams,
  SendMessageParams,
  SetWebhookParams,
  ZaloBotInfo,
  ZaloResponse,
  ZaloSent,
  ZaloUpdate,
  ZaloWebhookState,
} from "./types.js";

/** The API answered `ok: false` (or a non-JSON error status). */
export class ZaloApiError extends Error {
  constructor(
    readonly method: string,
    readonly error_code: number,
    readonly description: string,
    /** HTTP status of the response. */
    readonly status: number,
  ) {
    super(`Zalo ${method} failed (${error_code}): ${description}`);
    this.name = "ZaloApiError";
  }

  /** 408 (nothing new while polling), 429 (quota), 403 (documented as an internal error) and 5xx. */
  get retryable(): boolean {
    return this.error_code === 408 || this.error_code === 429 || this.error_code === 403 || this.error_code >= 500;
  }
}

/** The request never got an answer (connection refused, reset, timed out). */
export class ZaloNetworkError extends Error {
  constructor(readonly method: string, cause: string) {
    super(`Zalo ${method}: network error: ${cause}`);
    this.name = "ZaloNetworkError";
  }
}

export interface ZaloClientOptions {
  token: string;
  /** Default https://bot-api.zaloplatforms.com. */
  apiRoot?: string;
  /** Per-request timeout; getUpdates adds its own long-poll timeout on top. Default 15 s. */
  timeoutMs?: number;
}

/** Typed Zalo Bot API client. */
export class ZaloClient {
  private readonly base: string;
  private readonly token: string;
  private readonly timeoutMs: number;

  constructor(options: ZaloClientOptions) {
    this.token = options.token;
    this.base = (options.apiRoot ?? "https://bot-api.zaloplatforms.com").replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  getMe(): Promise<ZaloBotInfo> {
    return this.call<ZaloBotInfo>("getMe", {});
  }

  /** Long-polls for updates; an idle poll (408) resolves to []. Always an array. */
  async getUpdates(params: { timeout?: number } = {}, signal?: AbortSignal): Promise<ZaloUpdate[]> {
    const timeout = params.timeout ?? 30;
    try {
      const result = await this.call<ZaloUpdate | ZaloUpdate[] | undefined>(
        "getUpdates",
        { timeout: String(timeout) },
        { timeoutMs: (timeout + 10) * 1000, signal },
      );
      if (!result) return [];
      return Array.isArray(result) ? result : [result];
    } catch (err) {
      if (err instanceof ZaloApiError && err.error_code === 408) return [];
      throw err;
    }
  }

  setWebhook(params: SetWebhookParams): Promise<ZaloWebhookState> {
    return this.call<ZaloWebhookState>("setWebhook", params);
  }

  async deleteWebhook(): Promise<void> {
    await this.call<unknown>("deleteWebhook", {});
  }

  getWebhookInfo(): Promise<ZaloWebhookState> {
    return this.call<ZaloWebhookState>("getWebhookInfo", {});
  }

  sendMessage(params: SendMessageParams): Promise<ZaloSent> {
    return this.call<ZaloSent>("sendMessage", params);
  }

  async sendChatAction(params: SendChatActionParams): Promise<void> {
    await this.call<unknown>("sendChatAction", params);
  }

  /** Calls one method; resolves with `result` or throws ZaloApiError / ZaloNetworkError (token scrubbed). */
  async call<T>(method: string, body: object, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<T> {
    const url = `${this.base}/bot${this.token}/${method}`;
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? this.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal,
      });
    } catch (err) {
      throw new ZaloNetworkError(method, this.scrub(describe(err)));
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new ZaloNetworkError(method, this.scrub(describe(err)));
    }
    let parsed: ZaloResponse<T> | undefined;
    try {
      parsed = JSON.parse(text) as ZaloResponse<T>;
    } catch {
      parsed = undefined;
    }
    if (!parsed || typeof parsed !== "object" || typeof parsed.ok !== "boolean") {
      throw new ZaloApiError(method, res.status, this.scrub(`HTTP ${res.status}, not a Zalo API answer`), res.status);
    }
    if (!parsed.ok) {
      const code = parsed.error_code ?? (res.ok ? 500 : res.status);
      throw new ZaloApiError(method, code, this.scrub(parsed.description ?? "no description"), res.status);
    }
    return parsed.result as T;
  }

  private scrub(text: string): string {
    return text.split(this.token).join("<token>");
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    const extra = cause instanceof Error ? ` (${cause.message})` : "";
    return `${err.name === "TimeoutError" ? "timed out" : err.message}${extra}`;
  }
  return String(err);
}
