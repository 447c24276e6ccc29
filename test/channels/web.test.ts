import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./support/harness.js";

describe("web chat API and server basics", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("works with no platform tokens at all: page at /, questions at /api/chat with citations", async () => {
    h = await startHarness();
    const page = await h.app.inject({ method: "GET", url: "/" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.body).toContain("<title>Sổ tay đảng viên điện tử</title>");
    expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
    expect((await h.app.inject({ method: "GET", url: "/app.js" })).statusCode).toBe(200);
    expect((await h.app.inject({ method: "GET", url: "/app.css" })).statusCode).toBe(200);
    expect((await h.app.inject({ method: "POST", url: "/webhooks/telegram", payload: {} })).statusCode).toBe(404);

    const res = await h.app.inject({
      method: "POST",
      url: "/api/chat",
      payload: { sessionId: "session-abc-123", text: "đảng viên dự bị bao lâu thì xét chính thức" },
    });
    expect(res.statusCode).toBe(200);
    const { replies } = res.json() as { replies: { text: string }[] };
    expect(replies[0]!.text).toContain("mười hai tháng");
    expect(replies[0]!.text).toContain("**Nguồn:** Sổ tay thử nghiệm: Đảng phí");
  });

  it("opens a section picked among the choices offered (past the answer cache)", async () => {
    h = await startHarness();
    type Reply = { text: string; choices?: { label: string; value: string }[] };
    const chat = async (payload: object) => ((await h.app.inject({ method: "POST", url: "/api/chat", payload: { sessionId: "session-pick-1", ...payload } })).json() as { replies: Reply[] }).replies;
    const [offer] = await chat({ text: "đảng viên" });
    expect(offer!.choices!.length).toBeGreaterThan(1);
    const probation = offer!.choices!.find((c) => c.label.includes("dự bị"))!;
    const [opened] = await chat({ choice: probation.value });
    expect(opened!.text).toContain("mười hai tháng");
  });

  it("rejects bad chat requests with 400 and oversized ones with 413", async () => {
    h = await startHarness();
    const post = (payload: unknown) => h.app.inject({ method: "POST", url: "/api/chat", payload: payload as object });
    expect((await post({ text: "hi" })).statusCode).toBe(400);
    expect((await post({ sessionId: "bad id!", text: "hi" })).statusCode).toBe(400);
    expect((await post({ sessionId: "session-abc-123" })).statusCode).toBe(400);
    expect((await post({ sessionId: "session-abc-123", text: "x".repeat(5000) })).statusCode).toBe(400);
    const malformed = await h.app.inject({ method: "POST", url: "/api/chat", payload: "{", headers: { "content-type": "application/json" } });
    expect(malformed.statusCode).toBe(400);
    const huge = await h.app.inject({
      method: "POST",
      url: "/api/chat",
      payload: JSON.stringify({ sessionId: "session-abc-123", text: "x".repeat(1_100_000) }),
      headers: { "content-type": "application/json" },
    });
    expect(huge.statusCode).toBe(413);
  });

  it("limits questions per session politely (QUESTIONS_PER_MINUTE)", async () => {
    h = await startHarness({ env: { QUESTIONS_PER_MINUTE: "2" } });
    const ask = async () =>
      ((await h.app.inject({ method: "POST", url: "/api/chat", payload: { sessionId: "session-rate-1", text: "đảng phí" } })).json() as {
        replies: { text: string }[];
      }).replies[0]!.text;
    await ask();
    await ask();
    expect(await ask()).toContain("hỏi nhanh quá");
  });

  it("answers /healthz always and /readyz 503 until ready", async () => {
    let ready = false;
    h = await startHarness({ deps: { isReady: () => ready } });
    expect((await h.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    expect((await h.app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(503);
    ready = true;
    expect((await h.app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(200);
  });

  it("starts and stops background services with the server", async () => {
    const events: string[] = [];
    h = await startHarness({
      deps: { services: [{ name: "outbox", start: () => void events.push("start"), stop: () => void events.push("stop") }] },
    });
    expect(events).toEqual(["start"]);
    await h.app.close();
    expect(events).toEqual(["start", "stop"]);
  });

  it("can turn the web chat off", async () => {
    h = await startHarness({ env: { WEB_CHAT_ENABLED: "false" } });
    expect((await h.app.inject({ method: "GET", url: "/" })).statusCode).toBe(404);
    expect((await h.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
  });
});
