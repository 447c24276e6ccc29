/** Where an admin command writes: the terminal, or a test's buffers. Its own module so the command groups need not import the CLI entry. */
export interface AdminIo {
  out: { write(text: string): unknown };
  err: { write(text: string): unknown };
}
