/**
 * A channel is one object: a platform added to the registry's list gets its routes, its
 * updates through the inbox, its replies through the outbox with its own sender and
 * rate limits, and (able to push) a place among the notice channels. No other file
 * changes: here a made-up "echo" platform is served next to the real ones.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ChannelSender, OutgoingMessage } from "../../core/conversation/types.js";
import { issueInvite } from "../../core/members/invites.js";
import { ensureCell } from "../../core/members/organizations.js";
import { loadExtensions } from "../../bot/extensions.js";
import type { Platform } from "../../bot/platform.js";
import { PLATFORMS } from "../../bot/platforms.js";
import { storeThenAcknowledge } from "../../bot/webhook-ack.js";
import { startHarness, type Harness } from "./support/harness.js";

/** The whole "echo" platform: a webhook taking {id, chat, text}, and a sender that records. */
function echoPlatform(sent: { chatId: string; text: string }[]): Platform {
  const sender: ChannelSender = {
    channel: "echo",
    async send(chatId: string, message: OutgoingMessage) {
      sent.push({ chatId, text: message.text });
      return { messageId: String(sent.length) };
    },
  };
  return {
    name: "echo",
    capabilities: { buttons: "numbered", bold: false, textLimit: null, push: true, typing: false, inbox: true },
    enabled: () => true,
    limits: () => ({ perSecond: 5 }),
    async plugin(app, context) {
      context.inbox.process({
        toMessage: (payload) => {
          const p = payload as { chat: string; text: string };
          return { channel: "echo", chatId: p.chat, userId: p.chat, text: p.text, kind: "text" };
        },
      });
      app.post<{ Body: { id: string; chat: string; text: string } }>("/webhooks/echo", async (req, res) =>
        storeThenAcknowledge(res, context.inbox, { updateKey: req.body.id, chatKey: req.body.chat, payload: req.body }, context.logger),
      );
    },
    createSender: () => sender,
  };
}

describe("the platform registry", () => {
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  it("serves a platform added as one object: webhook, inbox, outbox, notice channel", async () => {
    const sent: { chatId: string; text: string }[] = [];
    const lines: string[] = [];
    h = await startHarness({ deps: { platforms: [...PLATFORMS, echoPlatform(sent)], extensions: loadExtensions }, env: { LOG_LEVEL: "info" }, logLines: lines });
    expect(lines.join("")).toMatch(/"channels":\["web","echo"\]/);
    const post = (id: string, text: string) => h!.app.inject({ method: "POST", url: "/webhooks/echo", payload: { id, chat: "e-1", text } });

    expect((await post("u1", "/start")).statusCode).toBe(200);
    expect((await post("u1", "/start")).statusCode).toBe(200); // a redelivery
    await h.app.inbox.drain();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ chatId: "e-1" });
    expect(sent[0]!.text).toContain("Sổ tay đảng viên điện tử");
    const row = await h.store.prisma.outboxMessage.findFirstOrThrow();
    expect(row).toMatchObject({ channel: "echo", dedupeKey: "reply:echo:u1:0", status: "delivered" });

    // It can push, so members may link their account there (the web chat, which cannot, is refused).
    const cell = await ensureCell(h.store.prisma, { chiBo: "Chi bộ Echo" });
    const member = await h.store.prisma.member.create({ data: { fullName: "Lê Echo", key: "echo:1", organizationId: cell.id, role: "dang_vien" } });
    const { code } = await issueInvite(h.store.prisma, member.id, { ttlHours: 1 });
    await post("u2", `/dangky ${code}`);
    await h.app.inbox.drain();
    expect(await h.store.prisma.chatIdentity.findFirst({ where: { channel: "echo", platformUserId: "e-1" } })).not.toBeNull();
  });
});
