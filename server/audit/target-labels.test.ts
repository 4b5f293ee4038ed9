// Audit target names: a tenant's own clients/members resolve to names; ids of another tenant's
// things (or of users who are not members here) resolve to nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, twoTenantWorld } from "../testing/fixtures";

let w: Awaited<ReturnType<typeof twoTenantWorld>>;

beforeAll(async () => {
  w = await twoTenantWorld();
});

describe("audit.targetLabels", () => {
  it("names this tenant's client, membership and member, never another tenant's", async () => {
    const a = callerFor(w.ownerA.id);
    const b = callerFor(w.ownerB.id);
    const clientA = await a.clients.create({ tenant: w.a.slug, name: "Billing app", type: "m2m" });
    const clientB = await b.clients.create({ tenant: w.b.slug, name: "Secret B app", type: "m2m" });
    const membersA = await a.members.list({ tenant: w.a.slug });
    const ownerMembership = membersA.items.find((m) => m.user.id === w.ownerA.id)!;

    const labels = await a.audit.targetLabels({
      tenant: w.a.slug,
      targets: [
        { type: "oauth_client", id: clientA.client.id },
        { type: "oauth_client", id: clientB.client.id },
        { type: "membership", id: ownerMembership.id },
        { type: "user", id: w.ownerA.id },
        { type: "user", id: w.ownerB.id },
        { type: "signing_key", id: "not-a-uuid" },
      ],
    });
    const byId = new Map(labels.map((l) => [`${l.type}:${l.id}`, l.label]));
    expect(byId.get(`oauth_client:${clientA.client.id}`)).toMatch(/^Billing app \(/);
    expect(byId.has(`oauth_client:${clientB.client.id}`)).toBe(false);
    expect(byId.get(`membership:${ownerMembership.id}`)).toBe(ownerMembership.user.email);
    expect(byId.get(`user:${w.ownerA.id}`)).toBe(ownerMembership.user.email);
    expect(byId.has(`user:${w.ownerB.id}`)).toBe(false);
    expect(labels).toHaveLength(3);
  });
});
