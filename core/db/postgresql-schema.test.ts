import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { derivePostgresqlSchema, POSTGRESQL_SCHEMA, SQLITE_SCHEMA } from "./postgresql-schema.js";

describe("the derived PostgreSQL schema", () => {
  it("is up to date with prisma/schema.prisma (npm run prisma:schemas rewrites it)", () => {
    const expected = derivePostgresqlSchema(fs.readFileSync(SQLITE_SCHEMA, "utf8"));
    const committed = fs.readFileSync(POSTGRESQL_SCHEMA, "utf8");
    expect(committed === expected, "prisma/postgresql/schema.prisma is stale: run `npm run prisma:schemas`, `npm run prisma:generate`, and add a PostgreSQL migration").toBe(true);
  });

  it("keeps every model and switches only the provider and the client's output", () => {
    const derived = derivePostgresqlSchema(fs.readFileSync(SQLITE_SCHEMA, "utf8"));
    expect(derived).toMatch(/provider = "postgresql"/);
    expect(derived).not.toMatch(/"sqlite"/);
    expect(derived).toMatch(/output\s+= "\.\.\/\.\.\/node_modules\/\.prisma-postgresql\/client"/);
    const models = (s: string) => [...s.matchAll(/^model (\w+)/gm)].map((m) => m[1]);
    expect(models(derived)).toEqual(models(fs.readFileSync(SQLITE_SCHEMA, "utf8")));
    expect(() => derivePostgresqlSchema("model A { id Int @id }")).toThrow(/provider "sqlite"/);
  });
});
