/**
 * A document's cleaned lines held in one string, so that its lines, sections and passages
 * are slices of that string (V8 keeps a slice as a reference into its parent) rather than
 * copies: the passages of a 50 MB document would otherwise hold its whole text a second
 * time. Nothing changes but where the characters are kept: a text becomes a slice only
 * where the very same characters stand in the document.
 *
 *   const shared = new SharedText(cleanLines(body));
 *   const share = shared.sharer();          // one per sequence in document order
 *   passage.text = share(passage.text);     // same value, now a slice of shared.text
 */

/** How far around the last place found a text is looked for (characters); passages are at most 1,200. */
const WINDOW = 4096;

export class SharedText {
  readonly text: string;
  /** The lines given, as slices of `text`. */
  readonly lines: string[];

  constructor(lines: string[]) {
    this.text = lines.join("\n");
    let at = 0;
    this.lines = lines.map((line) => {
      const slice = this.text.slice(at, at + line.length);
      at += line.length + 1;
      return slice;
    });
  }

  /**
   * A function that returns its argument as a slice of the text when it is found there,
   * looking where the previous one ended first, then near it (texts come in document order,
   * some overlapping the one before); otherwise the argument itself.
   */
  sharer(): (value: string) => string {
    let cursor = 0;
    return (value) => {
      let at = this.text.startsWith(value, cursor) ? cursor : -1;
      if (at < 0) {
        const from = Math.max(0, cursor - WINDOW);
        const found = this.text.slice(from, cursor + value.length + WINDOW).indexOf(value);
        if (found >= 0) at = from + found;
      }
      if (at < 0) return value;
      cursor = at + value.length + 1;
      return this.text.slice(at, at + value.length);
    };
  }
}
