import path from "node:path";
import { describe, expect, it } from "vitest";
import fs from "node:fs";
import { configSchema, loadConfig, PROJECT_ROOT } from "./config.js";

describe("loadConfig", () => {
  it("works with no variables at all, deriving store paths from DATA_DIR", () => {
    const c = loadConfig({ DATA_DIR: "/tmp/sotay-x" });
    expect(c.DATABASE_URL).toBe(`file:${path.join("/tmp/sotay-x", "sotay.db")}`);
    expect(c.MODELS_DIR).toBe("/tmp/sotay-x/models");
    expect(c.PORT).toBe(3000);
    expect(c.REMINDER_OFFSETS).toEqual([1440, 120]);
    expect(c.TELEGRAM_BOT_TOKEN).toBeUndefined();
  });
  it("names every bad variable in one error", () => {
    expect(() => loadConfig({ PORT: "abc", TELEGRAM_MODE: "push", REMINDER_OFFSETS: "1d,soon" })).toThrow(
      /PORT[\s\S]*TELEGRAM_MODE[\s\S]*REMINDER_OFFSETS/,
    );
  });
  it("takes a cluster lease between 5 s and 10 min, 15 s by default", () => {
    expect(loadConfig({}).CLUSTER_LEASE_SECONDS).toBe(15);
    expect(loadConfig({ CLUSTER_LEASE_SECONDS: "30" }).CLUSTER_LEASE_SECONDS).toBe(30);
    expect(() => loadConfig({ CLUSTER_LEASE_SECONDS: "2" })).toThrow(/CLUSTER_LEASE_SECONDS/);
  });
  it("treats empty strings as unset", () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: "  ", AUTO_INGEST_SAMPLE: "" }).AUTO_INGEST_SAMPLE).toBe(true);
  });
});

describe("documentation of the variables", () => {
  it("lists every variable in .env.example and in the README's table", () => {
    const envExample = fs.readFileSync(path.join(PROJECT_ROOT, ".env.example"), "utf8");
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    const names = Object.keys(configSchema.shape);
    expect(names.length).toBeGreaterThan(20);
    for (const name of names) {
      expect(envExample, `.env.example lacks ${name}`).toMatch(new RegExp(`^#?\\s*${name}=`, "m"));
      expect(readme, `README lacks ${name}`).toContain(`\`${name}\``);
    }
  });
});
