// Per-field policy resolution with sources and the cross-field rules. The logic is pure, but
// resolve.ts also reads stored versions (through the repository and its cache), so this file runs in
// the db project; validation and diffs are in document.unit.test.ts.
import { describe, expect, it } from "vitest";
import { resolvePolicy, valuesOf } from "./resolve";
import type { OverridesDocument } from "../isomorphic/policies/sections";

describe("resolvePolicy", () => {
  it("merges per field: default ← global ← tenant ← workspace, with sources", () => {
    const global: OverridesDocument = { password: { minLength: 10, history: 3 }, features: { a: true, b: true } };
    const tenant: OverridesDocument = { password: { minLength: 14 }, sessions: { idleTimeoutMinutes: 30 }, features: { b: false } };
    const workspace: OverridesDocument = { password: { minLength: 20 }, features: { c: true } };
    const p = resolvePolicy({ global, tenant, workspace });
    expect(p.sections.password.minLength).toEqual({ value: 20, source: "workspace" });
    expect(p.sections.password.history).toEqual({ value: 3, source: "global" });
    expect(p.sections.password.requireClasses).toEqual({ value: 0, source: "default" });
    expect(p.sections.sessions.idleTimeoutMinutes).toEqual({ value: 30, source: "tenant" });
    expect(p.sections.features).toEqual({ a: { value: true, source: "global" }, b: { value: false, source: "tenant" }, c: { value: true, source: "workspace" } });
    expect(p.problems).toEqual([]);

    const tenantOnly = resolvePolicy({ global, tenant });
    expect(tenantOnly.sections.password.minLength).toEqual({ value: 14, source: "tenant" });
    const defaults = valuesOf(resolvePolicy({}));
    expect(defaults.password.minLength).toBe(12);
    expect(defaults.dataRetention).toEqual({ auditRetentionDays: 365, deletionGraceDays: 30 });
    expect(defaults.keyRotation.autoPromoteAfterHours).toBe(24);
    expect(defaults.rateLimits.trpc).toEqual({ requestsPerWindow: 600, windowSeconds: 60, burst: 100 });
  });

  it("ignores (and reports) stored values that are invalid, unknown or at a level that may not set them", () => {
    const p = resolvePolicy({
      global: { password: { minLength: 4 }, mystery: { x: 1 } },
      tenant: { password: { wat: 1 } },
      workspace: { regulated: { enabled: true }, keyRotation: { autoPromoteAfterHours: 1 } },
    });
    expect(p.sections.password.minLength).toEqual({ value: 12, source: "default" });
    expect(p.sections.regulated.enabled).toEqual({ value: false, source: "default" });
    expect(p.sections.keyRotation.autoPromoteAfterHours.source).toBe("default");
    const messages = p.problems.map((x) => x.message).join("\n");
    expect(messages).toMatch(/global override of password\.minLength is invalid/);
    expect(messages).toMatch(/global override of mystery is not a known section/);
    expect(messages).toMatch(/tenant override of password\.wat is not a known field/);
    expect(messages).toMatch(/workspace override of regulated cannot be set at workspace level/);
  });

  it("regulated mode forces consent to required scopes and says so", () => {
    const p = resolvePolicy({ tenant: { regulated: { enabled: true }, consent: { requiredScopesOnly: false } } });
    expect(p.sections.consent.requiredScopesOnly).toEqual({ value: true, source: "tenant", forcedBy: "regulated" });
  });

  it("reports cross-field rule violations of the effective values", () => {
    const p = resolvePolicy({ global: { sessions: { sessionLifetimeMinutes: 30 } }, tenant: { sessions: { idleTimeoutMinutes: 45 }, signInRisk: { stepUpThreshold: 90 } } });
    expect(p.problems.map((x) => x.id).sort()).toEqual(["sessions.idle-within-session", "signInRisk.stepup-below-block"]);
    expect(p.problems.map((x) => x.message).join(" ")).toMatch(/idleTimeoutMinutes \(45\) must not exceed sessions\.sessionLifetimeMinutes \(30\)/);
  });
});
