/**
 * Random keys made once per installation and kept in the database, so they survive
 * restarts and every instance on a shared (PostgreSQL) database uses the same one.
 *
 *   const key = await installationSecret(prisma, "account-pseudonym");  // 64 hex characters
 */
import { randomBytes } from "node:crypto";
import { Prisma, type PrismaClient } from "@prisma/client";

/** The key named `name`, created (32 random bytes, hex) the first time it is asked for. */
export async function installationSecret(prisma: PrismaClient, name: string): Promise<string> {
  const existing = await prisma.installationSecret.findUnique({ where: { name } });
  if (existing) return existing.value;
  try {
    return (await prisma.installationSecret.create({ data: { name, value: randomBytes(32).toString("hex") } })).value;
  } catch (err) {
    // Another process made it between our read and our write: theirs is the one.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      return (await prisma.installationSecret.findUniqueOrThrow({ where: { name } })).value;
    }
    throw err;
  }
}
