/**
 * Admin commands for what the handbook learns from members (registered in admin.ts):
 *
 *   npm run admin -- questions [--unanswered | --disliked] [--since 30d] [--csv]
 *       what members asked that found nothing or was marked wrong, similar questions grouped, most asked first
 *   npm run admin -- teach "<question>" <document> <section>
 *       attaches the question to a section ("Điều lệ Đảng" "Điều 5, khoản 1"; 294-QĐ/TW 4.5.1); a running
 *       server answers it from that section from its next question on
 */
import { parseArgs } from "node:util";
import type { Config } from "../../core/config.js";
import type { Store } from "../../core/db/store.js";
import { spreadsheetCsv } from "../../core/export/spreadsheet-csv.js";
import { teachQuestion, TeachError } from "../../core/knowledge/teach.js";
import { writeKnowledge } from "../../core/knowledge/replica.js";
import { createCliLogger } from "../../core/logger.js";
import { gapsReport, type GapGroup, type GapKind } from "../../core/learning/gaps.js";
import { QuestionIndex } from "../../core/search/question-index.js";
import type { AdminIo } from "./admin-io.js";

type Command = (store: Store, config: Config, args: string[], io: AdminIo) => Promise<number>;

export const LEARNING_USAGE = `  npm run admin -- questions [--unanswered | --disliked] [--since 30d] [--csv]
  npm run admin -- teach "<question>" <document> <section>`;

/** "30d" → that many days before now; undefined for anything else. */
function since(text: string): Date | undefined {
  const m = /^(\d{1,4})d$/.exec(text.trim());
  return m ? new Date(Date.now() - Number(m[1]) * 86_400_000) : undefined;
}

const QUESTIONS_OPTIONS = { unanswered: { type: "boolean" }, disliked: { type: "boolean" }, since: { type: "string" }, csv: { type: "boolean" } } as const;

const questions: Command = async (store, config, args, io) => {
  let values;
  try {
    ({ values } = parseArgs({ args, options: QUESTIONS_OPTIONS, strict: true }));
  } catch (err) {
    io.err.write(`${(err as Error).message}\n${LEARNING_USAGE}\n`);
    return 2;
  }
  if (values.unanswered && values.disliked) {
    io.err.write("questions takes --unanswered or --disliked, not both (neither: both kinds)\n");
    return 2;
  }
  const from = values.since === undefined ? new Date(0) : since(values.since);
  if (!from) {
    io.err.write(`--since takes a number of days such as 30d (got "${values.since}")\n`);
    return 2;
  }
  const kind: GapKind = values.unanswered ? "unanswered" : values.disliked ? "disliked" : "all";
  const groups = await gapsReport(store.prisma, { kind, since: from });
  if (values.csv) {
    io.out.write(
      spreadsheetCsv(
        groups.map((g) => ({ ...g, variantsText: g.variants.join(" | "), quotedText: g.quoted ?? "" })),
        [
          { key: "count", kind: "number", header: "so_lan" },
          { key: "unanswered", kind: "number", header: "khong_tim_thay" },
          { key: "disliked", kind: "number", header: "danh_gia_sai" },
          { key: "question", kind: "text", header: "cau_hoi" },
          { key: "variantsText", kind: "text", header: "cach_hoi_khac" },
          { key: "quotedText", kind: "text", header: "da_trich" },
          { key: "lastAskedAt", kind: "date", header: "lan_cuoi" },
        ],
        { timeZone: config.TIMEZONE },
      ),
    );
    return 0;
  }
  if (!groups.length) {
    io.out.write("No question found nothing or was marked wrong in that period.\n");
    return 0;
  }
  for (const g of groups) io.out.write(formatGroup(g));
  return 0;
};

function formatGroup(g: GapGroup): string {
  const kinds = [g.unanswered ? `${g.unanswered} found nothing` : "", g.disliked ? `${g.disliked} marked wrong${g.quoted ? ` (quoted ${g.quoted})` : ""}` : ""].filter(Boolean).join(", ");
  const lines = [`${String(g.count).padStart(4)}×  ${g.question}`, `       ${kinds}; last asked ${g.lastAskedAt.toISOString().slice(0, 10)}`];
  if (g.variants.length) lines.push(`       also asked as: ${g.variants.join(" | ")}`);
  return `${lines.join("\n")}\n`;
}

const teach: Command = async (store, config, args, io) => {
  const [question, document, ...section] = args.filter((a) => !a.startsWith("--"));
  if (!question || !document || !section.length) {
    io.err.write(`teach needs a question, a document and a section, for example:\n  npm run admin -- teach "lên chính thức mất bao lâu" "Điều lệ Đảng" "Điều 5, khoản 1"\n`);
    return 2;
  }
  try {
    // On PostgreSQL the question reaches every instance (core/knowledge/replica.ts).
    const taught = await writeKnowledge(store, config, createCliLogger(config), async () =>
      teachQuestion(store.sqlite, new QuestionIndex(store.sqlite), question, document, section.join(" "), "taught"),
    );
    io.out.write(taught.added ? `Attached to ${taught.section.source}, section ${taught.section.path}.\n` : `Already attached to ${taught.section.source}, section ${taught.section.path}; nothing changed.\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof TeachError)) throw err;
    io.err.write(`Not taught: ${err.message}.\n`);
    return 1;
  }
};

export const LEARNING_COMMANDS: Record<string, Command> = { questions, teach };
