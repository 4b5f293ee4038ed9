// Names for the ids an audit event points at (a client's name, a signing key's kid, a member's
// e-mail…), so the audit detail reads "Billing app (3f2a…)" rather than a bare uuid. Tenant-scoped
// like every repository: only this tenant's rows (RLS enforces the same); a user resolves only while
// a member of this tenant. Deleted things simply have no label.
import { z } from "zod";
import type { TenantScope } from "../db/doors";
import { isUuid } from "../isomorphic/uuid";

export const MAX_LABEL_TARGETS = 100;

export const targetLabelsInput = z.object({
  targets: z
    .array(z.object({ type: z.string().max(64), id: z.string().max(128) }))
    .max(MAX_LABEL_TARGETS, `At most ${MAX_LABEL_TARGETS} targets at a time.`),
});

export interface TargetLabel {
  type: string;
  id: string;
  label: string;
}

export async function targetLabels(scope: TenantScope, targets: { type: string; id: string }[]): Promise<TargetLabel[]> {
  const ids = (type: string) => [...new Set(targets.filter((t) => t.type === type && isUuid(t.id)).map((t) => t.id))];
  const where = (type: string) => ({ tenantId: scope.tenantId, id: { in: ids(type) } });
  const { db } = scope;
  const [clients, keys, apiKeys, members, users, invitations] = await Promise.all([
    ids("oauth_client").length ? db.oAuthClient.findMany({ where: where("oauth_client"), select: { id: true, name: true, clientId: true } }) : [],
    ids("signing_key").length ? db.signingKey.findMany({ where: where("signing_key"), select: { id: true, kid: true } }) : [],
    ids("api_key").length ? db.apiKey.findMany({ where: where("api_key"), select: { id: true, name: true } }) : [],
    ids("membership").length ? db.membership.findMany({ where: where("membership"), select: { id: true, user: { select: { email: true } } } }) : [],
    ids("user").length
      ? db.membership.findMany({ where: { tenantId: scope.tenantId, userId: { in: ids("user") } }, select: { userId: true, user: { select: { email: true } } } })
      : [],
    ids("invitation").length ? db.tenantInvitation.findMany({ where: where("invitation"), select: { id: true, email: true } }) : [],
  ]);
  return [
    ...clients.map((c) => ({ type: "oauth_client", id: c.id, label: `${c.name} (${c.clientId})` })),
    ...keys.map((k) => ({ type: "signing_key", id: k.id, label: `kid ${k.kid}` })),
    ...apiKeys.map((k) => ({ type: "api_key", id: k.id, label: k.name })),
    ...members.map((m) => ({ type: "membership", id: m.id, label: m.user.email })),
    ...users.map((m) => ({ type: "user", id: m.userId, label: m.user.email })),
    ...invitations.map((i) => ({ type: "invitation", id: i.id, label: i.email })),
  ];
}
