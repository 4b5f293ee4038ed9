// Pure policy logic: strict validation of overrides documents (bounds, types, unknown keys, size,
// levels) and per-field diffs. Resolution is in resolve.test.ts (resolve.ts reads stored versions).
import { describe, expect, it } from "vitest";
import { diffDocuments, validateOverrides } from "./document";
import { FIXED_SECTIONS, MAX_DOCUMENT_BYTES } from "./sections";

function problems(doc: unknown, level: "global" | "tenant" | "workspace" = "tenant"): string[] {
  const r = validateOverrides(doc, level);
  return r.ok ? [] : r.problems;
}

describe("validateOverrides", () => {
  it("accepts valid overrides and normalises them (empty sections dropped, display order)", () => {
    const r = validateOverrides({ sessions: { idleTimeoutMinutes: 30 }, password: { minLength: 16, breachedCheck: false }, bruteForce: {} }, "tenant");
    expect(r).toEqual({ ok: true, document: { password: { minLength: 16, breachedCheck: false }, sessions: { idleTimeoutMinutes: 30 } } });
    expect(validateOverrides({}, "global")).toEqual({ ok: true, document: {} });
  });

  it.each([
    ["zero", { password: { minLength: 0 } }, /password\.minLength: must be between 8 and 128 \(got 0\)/],
    ["negative", { dataRetention: { auditRetentionDays: -5 } }, /dataRetention\.auditRetentionDays: must be between 30 and 3650 \(got -5\)/],
    ["huge", { sessions: { accessTokenTtlSeconds: 1e308 } }, /sessions\.accessTokenTtlSeconds: must be between 60 and 86400/],
    ["too big by one", { keyRotation: { autoPromoteAfterHours: 721 } }, /keyRotation\.autoPromoteAfterHours: must be between 1 and 720 \(got 721\)/],
    ["fraction", { password: { history: 2.5 } }, /password\.history: must be a whole number/],
    ["string for number", { password: { minLength: "12" } }, /password\.minLength: must be a number \(got text\)/],
    ["null", { bruteForce: { attempts: null } }, /bruteForce\.attempts: must be a number \(got null\)/],
    ["string for boolean", { regulated: { enabled: "true" } }, /regulated\.enabled: must be true or false \(got text\)/],
    ["number for boolean", { password: { breachedCheck: 1 } }, /password\.breachedCheck: must be true or false/],
    ["text too long", { consent: { text: "x".repeat(5001) } }, /consent\.text: must be at most 5000 characters \(got 5001\)/],
    ["rate limit out of range", { rateLimits: { trpc: { requestsPerWindow: 0, windowSeconds: 60, burst: 0 } } }, /rateLimits\.trpc\.requestsPerWindow: must be between 1 and 100000/],
    ["rate limit missing part", { rateLimits: { apiKey: { requestsPerWindow: 10, windowSeconds: 60 } } }, /rateLimits\.apiKey\.burst: must be a number \(got undefined\)/],
    ["rate limit extra key", { rateLimits: { public: { requestsPerWindow: 10, windowSeconds: 60, burst: 0, cost: 1 } } }, /rateLimits\.public: unknown cost/],
    ["rate limit wrong type", { rateLimits: { public: 100 } }, /rateLimits\.public: must be an object/],
    ["unknown section", { passwords: { minLength: 12 } }, /Unknown policy section "passwords"/],
    ["unknown field", { password: { minLen: 12 } }, /Unknown field "password\.minLen" \(known: minLength, requireClasses, breachedCheck, history\)/],
    ["section not an object", { password: 12 }, /password: must be an object of fields/],
    ["document not an object", [1, 2], /must be an object of sections/],
    ["document null", null, /must be an object of sections/],
    ["bad flag name", { features: { "Bad Flag": true } }, /features: "Bad Flag" is not a valid flag name/],
    ["flag not boolean", { features: { newLogin: "yes" } }, /features\.newLogin: must be true or false/],
  ])("refuses %s with a message naming the field", (_name, doc, message) => {
    const p = problems(doc);
    expect(p.length).toBeGreaterThan(0);
    expect(p.join(" ")).toMatch(message);
  });

  it("reports every problem at once", () => {
    const p = problems({ password: { minLength: 7, history: 25, colour: "red" }, nope: {} });
    expect(p).toHaveLength(4);
  });

  it("refuses more than 50 feature flags", () => {
    const flags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`flag${i}`, true]));
    expect(problems({ features: flags }).join(" ")).toMatch(/at most 50 flags \(got 51\)/);
    expect(problems({ features: Object.fromEntries(Object.entries(flags).slice(0, 50)) })).toEqual([]);
  });

  it("refuses documents over 64 KB before looking inside", () => {
    const doc = { consent: { text: "x".repeat(MAX_DOCUMENT_BYTES) } };
    expect(problems(doc)).toEqual([expect.stringMatching(/^The policy document is 65 KB; the limit is 64 KB\.$/)]);
  });

  it("refuses tenant-wide sections at workspace level, and allows them at global and tenant level", () => {
    for (const section of ["regulated", "rateLimits", "keyRotation", "dataRetention"]) {
      const field = Object.keys(FIXED_SECTIONS[section as keyof typeof FIXED_SECTIONS].fields)[0]!;
      const value = (FIXED_SECTIONS[section as keyof typeof FIXED_SECTIONS].fields as Record<string, { default: unknown }>)[field]!.default;
      const doc = { [section]: { [field]: value } };
      expect(problems(doc, "workspace").join(" ")).toMatch(new RegExp(`${section} cannot be set for a workspace`));
      expect(problems(doc, "tenant")).toEqual([]);
      expect(problems(doc, "global")).toEqual([]);
    }
    expect(problems({ password: { minLength: 20 } }, "workspace")).toEqual([]);
  });

  it("does not let __proto__ through", () => {
    expect(problems(JSON.parse('{"__proto__": {"minLength": 9}}')).join(" ")).toMatch(/Unknown policy section "__proto__"/);
    expect(problems(JSON.parse('{"password": {"__proto__": 9}}')).join(" ")).toMatch(/Unknown field "password.__proto__"/);
  });
});

describe("diffDocuments", () => {
  it("lists per-field changes: set, removed (back to inherited), changed; equal values are no change", () => {
    const from = { password: { minLength: 14, history: 2 }, rateLimits: { trpc: { requestsPerWindow: 10, windowSeconds: 60, burst: 0 } } };
    const to = { password: { minLength: 16 }, sessions: { idleTimeoutMinutes: 5 }, rateLimits: { trpc: { burst: 0, windowSeconds: 60, requestsPerWindow: 10 } } };
    expect(diffDocuments(from, to)).toEqual([
      { section: "password", field: "minLength", change: "changed", before: 14, after: 16 },
      { section: "password", field: "history", change: "removed", before: 2 },
      { section: "sessions", field: "idleTimeoutMinutes", change: "set", after: 5 },
    ]);
  });
});
