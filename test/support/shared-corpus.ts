/**
 * The real party documents of ../shared/corpus, for the tests that need them. A user's
 * fresh clone has no ../shared: those tests are skipped there, and their describe block's
 * name says why; CI has the corpus and runs them.
 *
 *   describe.skipIf(!HAS_CORPUS)(`on the real corpus ${NEEDS_CORPUS}`, () => { ... corpusFile("qd294...txt") ... });
 */
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../../core/config.js";

export const CORPUS_DIR = path.join(PROJECT_ROOT, "..", "shared", "corpus");
export const EVAL_DIR = path.join(PROJECT_ROOT, "..", "shared", "eval");
export const HAS_CORPUS = fs.existsSync(path.join(CORPUS_DIR, "qd294-tw-2025-thi-hanh-dieu-le-dang.txt"));
/** Appended to the names of skipped blocks, so a skip explains itself in the test report. */
export const NEEDS_CORPUS = HAS_CORPUS ? "" : "(skipped: needs ../shared/corpus, which a fresh clone does not have)";

export const corpusFile = (name: string): string => path.join(CORPUS_DIR, name);
