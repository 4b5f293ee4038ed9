// While a tenant waits for deletion, its owners can still take a copy: the configuration export
// (never a secret) and audit-trail exports stay open; everything else is closed.
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, rejection, twoTenantWorld } from "../testing/fixtures";
import { parseApiKey } from "../api-keys/format";

let w: Awaited<ReturnType<typeof twoTenantWorld>>;
let apiKeyValue: string;
let clientSecret: string | null;

beforeAll(async () => {
  w = await twoTenantWorld();
  const owner = callerFor(w.ownerA.id);
  apiKeyValue = (await owner.apiKeys.create({ tenant: w.a.slug, name: "ci", scopes: ["keys.read"], expiresInDays: 30 })).value;
  clientSecret = (await owner.clients.create({ tenant: w.a.slug, name: "Portal", type: "web", redirectUris: [`https://${w.a.slug}.copy.example.com/cb`] })).secret;
  await owner.deletion.request({ tenant: w.a.slug, confirmSlug: w.a.slug, reason: "Moving to another region" });
});

describe("a copy of a tenant pending deletion", () => {
  it("the configuration export works, holds the configuration and no secret", async () => {
    const doc = await callerFor(w.ownerA.id).deletion.configurationExport({ tenant: w.a.slug });
    expect(doc.tenant).toMatchObject({ slug: w.a.slug, status: "pending_deletion" });
    expect(doc.clients.map((c) => c.name)).toEqual(["Portal"]);
    expect(doc.apiKeys.map((k) => k.name)).toEqual(["ci"]);
    expect(doc.signingKeys.length).toBeGreaterThan(0);
    expect(doc.members.map((m) => m.email)).toContain(w.ownerA.email);
    const text = JSON.stringify(doc);
    // The secret is base64url and may itself contain "_": split with the key format's own parser
    // (split("_")[2] was "" — vacuous, and always failing — whenever the secret began with "_").
    const secret = parseApiKey(apiKeyValue)!.secret;
    expect(secret).toHaveLength(43);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(apiKeyValue);
    expect(text).not.toContain(clientSecret!);
    for (const member of ['"d"', '"p"', '"q"', "secretHash", "privateKey", "wrappedKey"]) expect(text).not.toContain(member);
  });

  it("audit exports stay open; other capabilities are closed; support cannot export the configuration", async () => {
    const owner = callerFor(w.ownerA.id);
    const requested = await owner.audit.requestExport({ tenant: w.a.slug, format: "jsonl" });
    expect(requested).toBeTruthy();
    expect((await owner.audit.exports({ tenant: w.a.slug })).length).toBeGreaterThan(0);
    expect((await rejection(owner.clients.list({ tenant: w.a.slug }))).code).toBe("PRECONDITION_FAILED");
    expect((await rejection(callerFor(w.supportA.id).deletion.configurationExport({ tenant: w.a.slug }))).code).toBe("FORBIDDEN");
    expect((await rejection(owner.deletion.configurationExport({ tenant: w.b.slug }))).code).toBe("NOT_FOUND");
  });
});
