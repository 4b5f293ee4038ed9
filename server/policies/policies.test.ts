// Policies through tRPC on the real PostgreSQL: refusals save nothing, the hierarchy with sources,
// optimistic concurrency (stale version and the insert race), reset, rollback, diff, regulated-mode
// conflicts, workspaces, the API-key read API, per-tenant consumers (auto-promote grace, rate
// limits), global defaults, and cross-tenant attempts by id.
//
// The test database is shared by every test file: global defaults are changed only on fields no
// other test reads, and restored afterwards.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor, rejection, makeTenant, twoTenantWorld } from "../testing/fixtures";
import { createCaller } from "../api/root";
import { createTRPCContext } from "../api/trpc";
import { authenticateApiKey } from "../api-keys/authenticate";
import { inTenant, onPlatform } from "../db/doors";
import { auditorFor, SYSTEM_ACTOR, type AuditActor } from "../audit/record";
import { latestGlobalVersion } from "./repository";
import { autoPromoteDueKeys } from "../signing-keys/auto-promote";
import { listKeys, stageNextKey } from "../signing-keys/service";
import { effectiveRateLimits } from "./resolve";
import { savePolicy } from "./service";
import { tenantPolicyLevel, tenantTarget } from "./tenant-level";

let w: Awaited<ReturnType<typeof twoTenantWorld>>;
beforeAll(async () => {
  w = await twoTenantWorld();
});

const HOUR = 3_600_000;

describe("saving overrides", () => {
  it("refuses invalid documents with messages, and saves nothing", async () => {
    const t = await makeTenant();
    const owner = callerFor(w.admin.id);
    const bad: [unknown, RegExp][] = [
      [{ password: { minLength: 0 } }, /password\.minLength: must be between 8 and 128 \(got 0\)/],
      [{ password: { minLength: -1 } }, /must be between 8 and 128 \(got -1\)/],
      [{ sessions: { refreshTokenTtlDays: 10 ** 12 } }, /sessions\.refreshTokenTtlDays: must be between 1 and 365/],
      [{ bruteForce: { attempts: "5" } }, /bruteForce\.attempts: must be a number \(got text\)/],
      [{ regulated: { enabled: 1 } }, /regulated\.enabled: must be true or false/],
      [{ password: { minLength: 12, colour: "blue" } }, /Unknown field "password\.colour"/],
      [{ branding: { logo: "x" } }, /Unknown policy section "branding"/],
      [{ consent: { text: "y".repeat(70_000) } }, /The policy document is 69 KB; the limit is 64 KB/],
      [{ sessions: { idleTimeoutMinutes: 2000 } }, /idleTimeoutMinutes \(2000\) must not exceed sessions\.sessionLifetimeMinutes \(1440\)/],
      [{ signInRisk: { stepUpThreshold: 95 } }, /stepUpThreshold \(95\) must be lower than signInRisk\.blockThreshold \(90\)/],
      ["not an object", /must be an object of sections/],
    ];
    for (const [document, message] of bad) {
      const r = await rejection(owner.policies.save({ tenant: t.slug, document, expectedVersion: 0, comment: "bad" }));
      expect({ code: r.code, ok: message.test(r.message), message: r.message }).toEqual({ code: "BAD_REQUEST", ok: true, message: r.message });
    }
    expect((await rejection(owner.policies.save({ tenant: t.slug, document: { password: { minLength: 14 } }, expectedVersion: 0, comment: "   " }))).message).toMatch(/comment/);
    const state = await owner.policies.state({ tenant: t.slug });
    expect(state.latest).toBeNull();
    expect((await owner.policies.versions({ tenant: t.slug })).items).toEqual([]);
    const audit = await inTenant(t.id, (s) => s.db.auditEvent.count({ where: { tenantId: s.tenantId, targetType: "policy" } }));
    expect(audit).toBe(0);
  });

  it("saves a new version with author and comment, audited in the same transaction", async () => {
    const owner = callerFor(w.ownerA.id);
    const before = await owner.policies.state({ tenant: w.a.slug });
    const saved = await owner.policies.save({
      tenant: w.a.slug,
      document: { password: { minLength: 16 }, features: { passkeys: true } },
      expectedVersion: before.latest?.version ?? 0,
      comment: "Longer passwords",
    });
    expect(saved.latest).toMatchObject({ version: (before.latest?.version ?? 0) + 1, comment: "Longer passwords", overrides: 2 });
    expect(saved.latest!.authorLabel).toMatch(/@example\.test$/);
    expect(saved.effective.sections.password.minLength).toEqual({ value: 16, source: "tenant" });
    expect(saved.inherited.sections.password.minLength.source).not.toBe("tenant");
    const events = await inTenant(w.a.id, (s) => s.db.auditEvent.findMany({ where: { tenantId: s.tenantId, action: "policy.saved" }, orderBy: { id: "desc" }, take: 1 }));
    expect(events[0]).toMatchObject({ targetType: "policy", targetId: "tenant", actorId: w.ownerA.id });
    expect(events[0]!.after).toMatchObject({ version: saved.latest!.version, comment: "Longer passwords", changes: expect.arrayContaining([{ section: "password", field: "minLength", change: "set", after: 16 }]) });
    // Saving the same overrides again is no change.
    expect((await rejection(owner.policies.save({ tenant: w.a.slug, document: saved.overrides, expectedVersion: saved.latest!.version, comment: "again" }))).message).toMatch(/Nothing to save/);
  });

  it("refuses a save based on a stale version, naming who changed it, when, and the version", async () => {
    const t = await makeTenant();
    const admin = callerFor(w.admin.id);
    await admin.policies.save({ tenant: t.slug, document: { bruteForce: { attempts: 7 } }, expectedVersion: 0, comment: "first" });
    // Someone else saved version 2 meanwhile; this editor still has version 1 open.
    await admin.policies.save({ tenant: t.slug, document: { bruteForce: { attempts: 8 } }, expectedVersion: 1, comment: "second" });
    const stale = await rejection(admin.policies.save({ tenant: t.slug, document: { bruteForce: { attempts: 9 } }, expectedVersion: 1, comment: "third" }));
    expect(stale.code).toBe("CONFLICT");
    expect(stale.message).toMatch(/^This policy was changed by .+@example\.test at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(version 2\); reload and re-apply your change\.$/);
    const ahead = await rejection(admin.policies.save({ tenant: t.slug, document: { bruteForce: { attempts: 9 } }, expectedVersion: 5, comment: "x" }));
    expect(ahead.code).toBe("CONFLICT");
    const state = await admin.policies.state({ tenant: t.slug });
    expect(state.latest!.version).toBe(2);
    expect(state.effective.sections.bruteForce.attempts.value).toBe(8);
  });

  it("two saves racing for the same version: one wins, the other gets CONFLICT (unique key, no abort)", async () => {
    const t = await makeTenant();
    const actor = (label: string): AuditActor => ({ type: "user", id: w.admin.id, label });
    let firstInserted!: () => void;
    const inserted = new Promise<void>((r) => (firstInserted = r));
    let releaseFirst!: () => void;
    const release = new Promise<void>((r) => (releaseFirst = r));
    // First transaction inserts version 1 and holds its transaction open.
    const first = inTenant(t.id, async (scope) => {
      await savePolicy(tenantPolicyLevel({ scope, audit: auditorFor(scope, actor("first@example.test"), null), actor: actor("first@example.test"), tenant: { role: "owner" } }, await tenantTarget(scope, null)), {
        document: { password: { history: 4 } },
        expectedVersion: 0,
        comment: "first",
      });
      firstInserted();
      await release;
    });
    await inserted;
    // The second one still sees no version (the first is uncommitted), so its expectedVersion 0
    // passes; its insert waits for the first transaction, then finds version 1 taken.
    const second = inTenant(t.id, async (scope) =>
      savePolicy(tenantPolicyLevel({ scope, audit: auditorFor(scope, actor("second@example.test"), null), actor: actor("second@example.test"), tenant: { role: "owner" } }, await tenantTarget(scope, null)), {
        document: { password: { history: 5 } },
        expectedVersion: 0,
        comment: "second",
      }),
    ).then(
      () => null,
      (e: Error) => e,
    );
    await new Promise((r) => setTimeout(r, 300));
    releaseFirst();
    await first;
    const err = await second;
    expect(err?.message).toMatch(/changed by first@example\.test .* \(version 1\)/);
    const versions = await callerFor(w.admin.id).policies.versions({ tenant: t.slug });
    expect(versions.items.map((v) => [v.version, v.comment])).toEqual([[1, "first"]]);
  });

  it("reset to inherited, rollback and diff are new versions; the history pages by version, newest first", async () => {
    const t = await makeTenant();
    const admin = callerFor(w.admin.id);
    const v1 = await admin.policies.save({ tenant: t.slug, document: { password: { minLength: 20, history: 5 } }, expectedVersion: 0, comment: "v1" });
    const v2 = await admin.policies.save({ tenant: t.slug, document: { password: { minLength: 24, history: 5 }, sessions: { idleTimeoutMinutes: 15 } }, expectedVersion: 1, comment: "v2" });
    expect(v2.latest!.version).toBe(2);

    // Reset one field: version 3 no longer has it, and its effective value is inherited again.
    const v3 = await admin.policies.resetField({ tenant: t.slug, section: "password", field: "minLength", expectedVersion: 2 });
    expect(v3.latest).toMatchObject({ version: 3, comment: "Reset password.minLength to inherited" });
    expect(v3.overrides).toEqual({ password: { history: 5 }, sessions: { idleTimeoutMinutes: 15 } });
    expect(v3.effective.sections.password.minLength.source).not.toBe("tenant");
    expect((await rejection(admin.policies.resetField({ tenant: t.slug, section: "password", field: "minLength", expectedVersion: 3 }))).message).toMatch(/not overridden here/);
    expect((await rejection(admin.policies.resetField({ tenant: t.slug, section: "password", field: "history", expectedVersion: 2 }))).code).toBe("CONFLICT");

    // Diff between any two versions, per field.
    const list = await admin.policies.versions({ tenant: t.slug });
    expect(list.items.map((v) => v.version)).toEqual([3, 2, 1]);
    const id = (n: number) => list.items.find((v) => v.version === n)!.ref;
    const d13 = await admin.policies.diff({ tenant: t.slug, fromVersionId: id(1), toVersionId: id(3) });
    expect(d13.changes).toEqual([
      { section: "password", field: "minLength", change: "removed", before: 20 },
      { section: "sessions", field: "idleTimeoutMinutes", change: "set", after: 15 },
    ]);
    const dPrev = await admin.policies.diff({ tenant: t.slug, toVersionId: id(2) });
    expect(dPrev.from!.version).toBe(1);
    expect(dPrev.changes).toEqual([
      { section: "password", field: "minLength", change: "changed", before: 20, after: 24 },
      { section: "sessions", field: "idleTimeoutMinutes", change: "set", after: 15 },
    ]);
    const dFirst = await admin.policies.diff({ tenant: t.slug, toVersionId: id(1) });
    expect(dFirst.from).toBeNull();
    expect(dFirst.changes.map((c) => c.change)).toEqual(["set", "set"]);

    // Rollback to version 1 = version 4 with version 1's document.
    expect((await rejection(admin.policies.rollback({ tenant: t.slug, versionId: id(1), expectedVersion: 2 }))).code).toBe("CONFLICT");
    const v4 = await admin.policies.rollback({ tenant: t.slug, versionId: id(1), expectedVersion: 3, comment: "too strict" });
    expect(v4.latest).toMatchObject({ version: 4, comment: "Rollback to version 1: too strict" });
    expect(v4.overrides).toEqual(v1.overrides);

    // Cursor paging, newest first.
    const p1 = await admin.policies.versions({ tenant: t.slug, limit: 3 });
    expect(p1.items.map((v) => v.version)).toEqual([4, 3, 2]);
    expect(p1.nextCursor).toBe(2);
    const p2 = await admin.policies.versions({ tenant: t.slug, limit: 3, cursor: p1.nextCursor });
    expect(p2.items.map((v) => v.version)).toEqual([1]);
    expect(p2.nextCursor).toBeNull();

    const actions = await inTenant(t.id, (s) => s.db.auditEvent.findMany({ where: { tenantId: s.tenantId, targetType: "policy" }, orderBy: { id: "asc" }, select: { action: true } }));
    expect(actions.map((a) => a.action)).toEqual(["policy.saved", "policy.saved", "policy.field_reset", "policy.rolled_back"]);
  });

  it("turning regulated mode on through a save (or a rollback) lists the conflicting clients", async () => {
    const t = await makeTenant();
    const admin = callerFor(w.admin.id);
    const native = await admin.clients.create({ tenant: t.slug, name: "CLI tool", type: "native", redirectUris: ["http://127.0.0.1/callback"] });
    const r = await rejection(admin.policies.save({ tenant: t.slug, document: { regulated: { enabled: true } }, expectedVersion: 0, comment: "go regulated" }));
    expect(r.code).toBe("PRECONDITION_FAILED");
    expect(r.message).toContain(`CLI tool (${native.client.clientId}): http://127.0.0.1/callback`);
    expect((await admin.policies.get({ tenant: t.slug })).regulatedMode).toBe(false);
    expect((await admin.policies.state({ tenant: t.slug })).latest).toBeNull();

    // Fixed: the save goes through, and readTenantPolicy (clients, authorize-check) sees it.
    await admin.clients.update({ tenant: t.slug, clientRowId: native.client.id, redirectUris: [`https://${t.slug}.example.com/cb`] });
    const on = await admin.policies.save({ tenant: t.slug, document: { regulated: { enabled: true } }, expectedVersion: 0, comment: "go regulated" });
    expect(on.effective.sections.consent.requiredScopesOnly).toMatchObject({ value: true, forcedBy: "regulated" });
    expect((await admin.policies.get({ tenant: t.slug })).regulatedMode).toBe(true);
    const off = await admin.policies.setRegulatedMode({ tenant: t.slug, regulatedMode: false, reason: "no regulated data any more" });
    expect(off.regulatedMode).toBe(false);

    // A client breaking the rules appears while it is off; rolling back to "on" is refused the same way.
    await admin.clients.create({ tenant: t.slug, name: "Dev app", type: "native", redirectUris: ["http://127.0.0.1/dev"] });
    const versions = await admin.policies.versions({ tenant: t.slug });
    const onVersion = versions.items.find((v) => v.version === 1)!;
    const rb = await rejection(admin.policies.rollback({ tenant: t.slug, versionId: onVersion.ref, expectedVersion: 2 }));
    expect(rb.code).toBe("PRECONDITION_FAILED");
    expect(rb.message).toMatch(/Dev app \(.+\): http:\/\/127\.0\.0\.1\/dev/);
    const actions = await inTenant(t.id, (s) => s.db.auditEvent.findMany({ where: { tenantId: s.tenantId, targetType: "tenant_policy" }, orderBy: { id: "asc" }, select: { action: true } }));
    expect(actions.map((a) => a.action)).toEqual(["policy.regulated_mode_on", "policy.regulated_mode_off"]);
  });
});

describe("hierarchy: global → tenant → workspace", () => {
  let restoreTo: number;
  beforeAll(async () => {
    restoreTo = (await onPlatform((db) => latestGlobalVersion(db)))?.version ?? 0;
  });
  afterAll(async () => {
    // Leave the shared database's global defaults as they were.
    const latest = await onPlatform((db) => latestGlobalVersion(db));
    if (latest && latest.version !== restoreTo) {
      const admin = callerFor(w.admin.id);
      if (restoreTo === 0) await admin.platform.policies.save({ document: {}, expectedVersion: latest.version, comment: "test cleanup" });
      else await admin.platform.policies.rollback({ toVersion: restoreTo, expectedVersion: latest.version, comment: "test cleanup" }).catch(() => undefined);
    }
  });

  it("every field reports its source: default, global, tenant or workspace", async () => {
    const admin = callerFor(w.admin.id);
    const t = await makeTenant();
    const g0 = await admin.platform.policies.state();
    const g = await admin.platform.policies.save({
      document: { ...g0.overrides, password: { ...g0.overrides.password, history: 6, requireClasses: 2 }, features: { ...g0.overrides.features, zzTestGlobalFlag: true } },
      expectedVersion: g0.latest?.version ?? 0,
      comment: "test: global password history",
    });
    expect(g.effective.sections.password.history).toEqual({ value: 6, source: "global" });

    await admin.policies.save({ tenant: t.slug, document: { password: { requireClasses: 3 } }, expectedVersion: 0, comment: "tenant" });
    await admin.workspaces.create({ tenant: t.slug, slug: "mobile", name: "Mobile apps" });
    const ws = await admin.policies.save({ tenant: t.slug, workspace: "mobile", document: { password: { minLength: 30 }, features: { zzTestGlobalFlag: false } }, expectedVersion: 0, comment: "workspace" });
    expect(ws.level).toBe("workspace");
    expect(ws.inherited.sections.password.requireClasses).toEqual({ value: 3, source: "tenant" });

    const eff = await admin.policies.effective({ tenant: t.slug, workspace: "mobile" });
    expect(eff).toMatchObject({ tenant: t.slug, workspace: "mobile" });
    expect(eff.versions.global!.version).toBe(g.latest!.version);
    expect(eff.versions.tenant!.version).toBe(1);
    expect(eff.versions.workspace!.version).toBe(1);
    expect(eff.sections.password).toEqual({
      minLength: { value: 30, source: "workspace" },
      requireClasses: { value: 3, source: "tenant" },
      breachedCheck: { value: true, source: "default" },
      history: { value: 6, source: "global" },
    });
    expect(eff.sections.features.zzTestGlobalFlag).toEqual({ value: false, source: "workspace" });
    expect(eff.values.password.minLength).toBe(30);

    const tenantWide = await admin.policies.effective({ tenant: t.slug });
    expect(tenantWide.workspace).toBeNull();
    expect(tenantWide.sections.password.minLength.source).not.toBe("workspace");
    expect(tenantWide.sections.features.zzTestGlobalFlag).toEqual({ value: true, source: "global" });

    // Workspaces may not set tenant-wide sections.
    const r = await rejection(admin.policies.save({ tenant: t.slug, workspace: "mobile", document: { regulated: { enabled: true } }, expectedVersion: 1, comment: "no" }));
    expect(r.message).toMatch(/regulated cannot be set for a workspace/);
    // Workspace cross-field rules see the inherited values.
    await admin.policies.save({ tenant: t.slug, document: { password: { requireClasses: 3 }, sessions: { sessionLifetimeMinutes: 60 } }, expectedVersion: 1, comment: "short sessions" });
    const idle = await rejection(admin.policies.save({ tenant: t.slug, workspace: "mobile", document: { ...ws.overrides, sessions: { idleTimeoutMinutes: 90 } }, expectedVersion: 1, comment: "idle" }));
    expect(idle.message).toMatch(/idleTimeoutMinutes \(90\) must not exceed sessions\.sessionLifetimeMinutes \(60\)/);
  });

  it("global defaults: stale versions conflict, rollback, diff; owners and support are refused", async () => {
    const admin = callerFor(w.admin.id);
    const g0 = await admin.platform.policies.state();
    const base = g0.latest?.version ?? 0;
    const doc = { ...g0.overrides, bruteForce: { lockoutMinutes: 33 } };
    const s1 = await admin.platform.policies.save({ document: doc, expectedVersion: base, comment: "test: lockout 33" });
    expect(s1.latest).toMatchObject({ version: base + 1, ref: String(base + 1) });
    const stale = await rejection(admin.platform.policies.save({ document: { ...doc, bruteForce: { lockoutMinutes: 34 } }, expectedVersion: base, comment: "stale" }));
    expect(stale.code).toBe("CONFLICT");
    expect(stale.message).toMatch(new RegExp(`\\(version ${base + 1}\\); reload and re-apply your change\\.$`));
    const bad = await rejection(admin.platform.policies.save({ document: { bruteForce: { lockoutMinutes: 0 } }, expectedVersion: base + 1, comment: "bad" }));
    expect(bad.message).toMatch(/bruteForce\.lockoutMinutes: must be between 1 and 10080/);
    const diff = await admin.platform.policies.diff({ to: base + 1 });
    expect(diff.changes).toContainEqual(expect.objectContaining({ section: "bruteForce", field: "lockoutMinutes", after: 33 }));
    const reset = await admin.platform.policies.resetField({ section: "bruteForce", field: "lockoutMinutes", expectedVersion: base + 1 });
    expect(reset.effective.sections.bruteForce.lockoutMinutes).toEqual({ value: 15, source: "default" });
    const rb = await admin.platform.policies.rollback({ toVersion: base + 1, expectedVersion: base + 2, comment: "back" });
    expect(rb.effective.sections.bruteForce.lockoutMinutes).toEqual({ value: 33, source: "global" });
    expect(rb.latest!.comment).toBe(`Rollback to version ${base + 1}: back`);
    const page = await admin.platform.policies.versions({ limit: 2 });
    expect(page.items.map((v) => v.version)).toEqual([base + 3, base + 2]);

    for (const who of [w.ownerA.id, w.supportA.id]) {
      expect((await rejection(callerFor(who).platform.policies.save({ document: {}, expectedVersion: base + 3, comment: "x" }))).code).toBe("FORBIDDEN");
      expect((await rejection(callerFor(who).platform.policies.state())).code).toBe("FORBIDDEN");
    }
  });

  it("turning regulated mode on globally is refused while an inheriting tenant has conflicting clients", async () => {
    const admin = callerFor(w.admin.id);
    const t = await makeTenant();
    const c = await admin.clients.create({ tenant: t.slug, name: "Loopback", type: "native", redirectUris: ["http://127.0.0.1/x"] });
    const g0 = await admin.platform.policies.state();
    const r = await rejection(admin.platform.policies.save({ document: { ...g0.overrides, regulated: { enabled: true } }, expectedVersion: g0.latest?.version ?? 0, comment: "everyone regulated" }));
    expect(r.code).toBe("PRECONDITION_FAILED");
    expect(r.message).toContain(`${t.slug}: Loopback (${c.client.clientId}): http://127.0.0.1/x`);
    expect((await admin.platform.policies.state()).latest?.version).toBe(g0.latest?.version);
  });
});

describe("workspaces", () => {
  it("create, list, rename; delete refused while it has policy history, allowed before", async () => {
    const t = await makeTenant();
    const admin = callerFor(w.admin.id);
    await admin.workspaces.create({ tenant: t.slug, slug: "web", name: "Web" });
    await admin.workspaces.create({ tenant: t.slug, slug: "empty", name: "Empty" });
    expect((await rejection(admin.workspaces.create({ tenant: t.slug, slug: "web", name: "Again" }))).code).toBe("CONFLICT");
    expect((await rejection(admin.workspaces.create({ tenant: t.slug, slug: "Bad Slug", name: "x" }))).code).toBe("BAD_REQUEST");
    await admin.policies.save({ tenant: t.slug, workspace: "web", document: { password: { minLength: 9 } }, expectedVersion: 0, comment: "web" });
    const renamed = await admin.workspaces.rename({ tenant: t.slug, workspace: "web", name: "Web apps" });
    expect(renamed).toMatchObject({ slug: "web", name: "Web apps", policyVersion: 1 });
    expect((await admin.workspaces.list({ tenant: t.slug })).map((x) => [x.slug, x.policyVersion])).toEqual([
      ["empty", 0],
      ["web", 1],
    ]);
    const refused = await rejection(admin.workspaces.delete({ tenant: t.slug, workspace: "web" }));
    expect(refused.code).toBe("PRECONDITION_FAILED");
    expect(refused.message).toMatch(/policy history \(1 version\)/);
    await admin.workspaces.delete({ tenant: t.slug, workspace: "empty" });
    expect((await admin.workspaces.list({ tenant: t.slug })).map((x) => x.slug)).toEqual(["web"]);
    expect((await rejection(admin.policies.state({ tenant: t.slug, workspace: "empty" }))).code).toBe("NOT_FOUND");
    const actions = await inTenant(t.id, (s) => s.db.auditEvent.findMany({ where: { tenantId: s.tenantId, targetType: "workspace" }, orderBy: { id: "asc" }, select: { action: true } }));
    expect(actions.map((a) => a.action)).toEqual(["workspace.created", "workspace.created", "workspace.renamed", "workspace.deleted"]);
  });
});

describe("cross-tenant attempts by id and slug", () => {
  it("A cannot read, diff, roll back to, save into or delete B's versions and workspaces", async () => {
    const ownerB = callerFor(w.ownerB.id);
    const ownerA = callerFor(w.ownerA.id);
    await ownerB.workspaces.create({ tenant: w.b.slug, slug: "b-only", name: "B only" });
    const bState = await ownerB.policies.state({ tenant: w.b.slug });
    const b1 = await ownerB.policies.save({ tenant: w.b.slug, document: { ...bState.overrides, password: { minLength: 40 } }, expectedVersion: bState.latest?.version ?? 0, comment: "B secret" });
    const bVersionId = b1.latest!.ref;
    const aState = await ownerA.policies.state({ tenant: w.a.slug });
    const aVersion = aState.latest?.version ?? 0;

    // B's version id through A's own tenant: not found, nothing saved anywhere.
    expect((await rejection(ownerA.policies.rollback({ tenant: w.a.slug, versionId: bVersionId, expectedVersion: aVersion }))).code).toBe("NOT_FOUND");
    expect((await rejection(ownerA.policies.diff({ tenant: w.a.slug, toVersionId: bVersionId }))).code).toBe("NOT_FOUND");
    if (aState.latest) {
      expect((await rejection(ownerA.policies.diff({ tenant: w.a.slug, toVersionId: aState.latest.ref, fromVersionId: bVersionId }))).code).toBe("NOT_FOUND");
    }
    // B's workspace slug through A's tenant.
    expect((await rejection(ownerA.policies.state({ tenant: w.a.slug, workspace: "b-only" }))).code).toBe("NOT_FOUND");
    expect((await rejection(ownerA.policies.effective({ tenant: w.a.slug, workspace: "b-only" }))).code).toBe("NOT_FOUND");
    expect((await rejection(ownerA.policies.save({ tenant: w.a.slug, workspace: "b-only", document: {}, expectedVersion: 0, comment: "x" }))).code).toBe("NOT_FOUND");
    expect((await rejection(ownerA.workspaces.rename({ tenant: w.a.slug, workspace: "b-only", name: "mine" }))).code).toBe("NOT_FOUND");
    expect((await rejection(ownerA.workspaces.delete({ tenant: w.a.slug, workspace: "b-only" }))).code).toBe("NOT_FOUND");
    // B's tenant directly, with B's ids.
    expect((await rejection(ownerA.policies.rollback({ tenant: w.b.slug, versionId: bVersionId, expectedVersion: 1 }))).code).toBe("NOT_FOUND");
    expect((await rejection(ownerA.policies.effective({ tenant: w.b.slug }))).code).toBe("NOT_FOUND");
    expect((await rejection(ownerA.workspaces.list({ tenant: w.b.slug }))).code).toBe("NOT_FOUND");

    expect((await ownerA.policies.state({ tenant: w.a.slug })).latest?.version ?? 0).toBe(aVersion);
    const bAfter = await ownerB.policies.state({ tenant: w.b.slug });
    expect(bAfter.latest!.version).toBe(b1.latest!.version);
    expect((await ownerB.workspaces.list({ tenant: w.b.slug })).map((x) => [x.slug, x.name])).toContainEqual(["b-only", "B only"]);
    // A's effective policy is untouched by B's override.
    expect((await ownerA.policies.effective({ tenant: w.a.slug })).sections.password.minLength.value).not.toBe(40);
  });

  it("support has no policies.read; an API key with policies.read reads its own tenant's effective policy only", async () => {
    expect((await rejection(callerFor(w.supportA.id).policies.effective({ tenant: w.a.slug }))).code).toBe("FORBIDDEN");
    const { value } = await callerFor(w.ownerA.id).apiKeys.create({ tenant: w.a.slug, name: "idp", scopes: ["policies.read"], expiresInDays: 1 });
    const key = createCaller(createTRPCContext({ session: null, apiKey: await authenticateApiKey(`Bearer ${value}`), meta: { requestId: "t", ip: null, userAgent: null } }));
    const eff = await key.policies.effective({ tenant: w.a.slug });
    expect(eff.tenant).toBe(w.a.slug);
    expect(eff.sections.password.minLength).toHaveProperty("source");
    expect(JSON.parse(JSON.stringify(eff.values))).toEqual(eff.values);
    expect((await rejection(key.policies.effective({ tenant: w.b.slug }))).code).toBe("NOT_FOUND");
    expect((await rejection(key.policies.save({ tenant: w.a.slug, document: {}, expectedVersion: 0, comment: "x" }))).code).toBe("FORBIDDEN");
  });
});

describe("per-tenant consumers read the effective policy", () => {
  it("auto-promotion uses each tenant's grace period; the keys view dates it the same way", async () => {
    const short = await makeTenant();
    const standard = await makeTenant();
    const admin = callerFor(w.admin.id);
    await admin.policies.save({ tenant: short.slug, document: { keyRotation: { autoPromoteAfterHours: 2 } }, expectedVersion: 0, comment: "fast rotation" });
    const stagedAt = new Date(Date.now() - 3 * HOUR);
    const stage = (t: { id: typeof short.id }) => inTenant(t.id, (s) => stageNextKey(s, auditorFor(s, SYSTEM_ACTOR, null), SYSTEM_ACTOR, { alg: "ES256" }, stagedAt));
    const shortKey = await stage(short);
    const standardKey = await stage(standard);
    expect(shortKey.autoPromoteAt!.getTime()).toBe(stagedAt.getTime() + 2 * HOUR);
    expect(standardKey.autoPromoteAt!.getTime()).toBe(stagedAt.getTime() + 24 * HOUR);
    expect((await admin.keys.list({ tenant: short.slug })).autoPromoteAfterHours).toBe(2);

    const result = await autoPromoteDueKeys(new Date());
    expect(result.promoted).toContainEqual({ tenant: short.slug, kid: shortKey.kid });
    expect(result.promoted.some((p) => p.tenant === standard.slug)).toBe(false);
    expect((await inTenant(standard.id, (s) => listKeys(s))).find((k) => k.id === standardKey.id)!.state).toBe("next");
  });

  it("effectiveRateLimits returns the tenant's override over the defaults, per surface", async () => {
    const t = await makeTenant();
    const defaults = await inTenant(t.id, (s) => effectiveRateLimits(s));
    expect(Object.keys(defaults).sort()).toEqual(["apiKey", "public", "trpc"]);
    await callerFor(w.admin.id).policies.save({ tenant: t.slug, document: { rateLimits: { apiKey: { requestsPerWindow: 50, windowSeconds: 10, burst: 5 } } }, expectedVersion: 0, comment: "tight" });
    const limits = await inTenant(t.id, (s) => effectiveRateLimits(s));
    expect(limits.apiKey).toEqual({ requestsPerWindow: 50, windowSeconds: 10, burst: 5 });
    expect(limits.trpc).toEqual(defaults.trpc);
  });
});
