/** Constant-time comparison of a webhook secret header with the configured secret. */
import { timingSafeEqual } from "node:crypto";

/** True when `header` equals `secret`; lengths are checked first, as timingSafeEqual requires. */
export function secretMatches(header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== "string") return false;
  const a = Buffer.from(header, "utf8");
  const b = Buffer.from(secret, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
