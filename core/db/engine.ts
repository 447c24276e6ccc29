/**
 * Which database engine a DATABASE_URL selects: `postgresql://…` or `postgres://…` is
 * PostgreSQL (one database shared by any number of server instances); anything else is
 * the embedded SQLite default (a `file:` URL).
 *
 *   engineOf("postgresql://sotay@db/sotay")  // "postgresql"
 *   engineOf("file:./data/sotay.db")         // "sqlite"
 *   redactUrl("postgresql://u:secret@h/db")  // "postgresql://u:***@h/db"
 */

export type Engine = "sqlite" | "postgresql";

export function engineOf(databaseUrl: string): Engine {
  return /^postgres(ql)?:\/\//i.test(databaseUrl.trim()) ? "postgresql" : "sqlite";
}

/** The URL with its password (and any `password=` parameter) hidden, for logs and messages. */
export function redactUrl(databaseUrl: string): string {
  return databaseUrl.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, "$1***@").replace(/(password=)[^&]*/gi, "$1***");
}
