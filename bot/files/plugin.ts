/**
 * The download route behind one-time links: GET /files/<token> shows a small page with a button,
 * and only the button's POST hands the file out and uses the link up. Link previews and
 * scanners fetch with GET, so they never spend a member's download.
 *
 *   await app.register(filesPlugin, { links: createDownloadLinks(prisma, { ttlMinutes: 60 }) });
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import type { DownloadLinks } from "../../core/files/download-links.js";
import { F } from "./strings.js";

/** Where the links point. */
export const FILES_PATH = "/files";

const CSP = "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(reply: FastifyReply, status: number, body: string): FastifyReply {
  const html = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(F.pageTitle)}</title></head><body>${body}</body></html>`;
  return reply
    .code(status)
    .type("text/html; charset=utf-8")
    .header("content-security-policy", CSP)
    .header("cache-control", "no-store")
    .header("referrer-policy", "no-referrer")
    .header("x-robots-tag", "noindex")
    .send(html);
}

/** "Biên bản họp.docx" → an ASCII fallback and the RFC 5987 UTF-8 form for Content-Disposition. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Registers GET and POST /files/:token. */
export async function filesPlugin(app: FastifyInstance, opts: { links: DownloadLinks }): Promise<void> {
  // The download button posts an empty form.
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, _body, done) => done(null, {}));
  const params = { type: "object", properties: { token: { type: "string", maxLength: 64 } }, required: ["token"] } as const;

  app.get<{ Params: { token: string } }>(`${FILES_PATH}/:token`, { schema: { params } }, async (req, reply) => {
    const file = await opts.links.peek(req.params.token);
    if (!file) return page(reply, 410, `<p>${escapeHtml(F.pageGone)}</p>`);
    return page(
      reply,
      200,
      `<p>${escapeHtml(F.pageIntro(file.fileName, Math.max(1, Math.round(file.size / 1024))))}</p><p>${escapeHtml(F.pageOnce)}</p>` +
        `<form method="post"><button type="submit">${escapeHtml(F.pageButton)}</button></form>`,
    );
  });

  app.post<{ Params: { token: string } }>(`${FILES_PATH}/:token`, { schema: { params } }, async (req, reply) => {
    const file = await opts.links.claim(req.params.token);
    if (!file) return page(reply, 410, `<p>${escapeHtml(F.pageGone)}</p>`);
    req.log.info({ bytes: file.content.length }, "one-time download handed out");
    return reply
      .type(file.mimeType)
      .header("content-disposition", contentDisposition(file.fileName))
      .header("cache-control", "no-store")
      .header("x-content-type-options", "nosniff")
      .send(Buffer.from(file.content));
  });
}
