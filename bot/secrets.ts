/** Constant-time check of a webhook's secret header, and the route hook that enforces it. */
import { timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

/** True when `header` equals `secret`; lengths are checked first, as timingSafeEqual requires. */
export function secretMatches(header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== "string") return false;
  const a = Buffer.from(header, "utf8");
  const b = Buffer.from(secret, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * An onRequest hook answering 401 unless header `name` carries `secret`; it runs before
 * the body is parsed, so a stranger learns nothing.
 *
 *   app.post("/webhooks/zalo", { onRequest: requireSecretHeader("x-bot-api-secret-token", secret) }, handler);
 */
export function requireSecretHeader(name: string, secret: string) {
  return async (req: FastifyRequest, res: FastifyReply) => {
    if (!secretMatches(req.headers[name], secret)) return res.code(401).send({ error: "unauthorized" });
  };
}
