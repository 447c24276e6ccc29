/**
 * A file that cannot be ingested, with a message that names the file and says why
 * ("quet.pdf has no text layer ..."), so the operator knows what to fix.
 */
import path from "node:path";

export class IngestError extends Error {
  override readonly name = "IngestError";
  constructor(
    /** The file as given (path). */
    readonly file: string,
    /** Why, in words that finish the sentence "<file> ..." */
    readonly reason: string,
  ) {
    super(`${path.basename(file)} ${reason}`);
  }
}
