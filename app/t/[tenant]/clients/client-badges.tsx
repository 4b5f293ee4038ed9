// Small pieces shared by the clients list and a client's page: status, PKCE and secret hints.
import type { ClientSecretView, ClientView } from "@/server/clients/service";
import { Badge } from "@/components/ui/badge";
import { isoString } from "@/components/format";
import { RelativeTime } from "@/components/time";

export function EnabledBadge({ enabled }: { enabled: boolean }) {
  return enabled ? (
    <Badge tone="green" data-testid="client-status" title="May start logins">
      Enabled
    </Badge>
  ) : (
    <Badge tone="red" data-testid="client-status" title="Cannot start new logins">
      Disabled
    </Badge>
  );
}

export function PkceBadge({ client }: { client: Pick<ClientView, "pkceRequired" | "confidential"> }) {
  return client.pkceRequired ? (
    <Badge tone="indigo" data-testid="client-pkce" title={client.confidential ? "Regulated mode: every client must use PKCE" : "Public client: PKCE is mandatory"}>
      PKCE required
    </Badge>
  ) : (
    <Badge tone="slate" data-testid="client-pkce" title="Confidential client: PKCE recommended, not enforced">
      PKCE optional
    </Badge>
  );
}

/** "…abcd", with "valid until …" for a secret in its rotation overlap. */
export function SecretHint({ secret, detailed = false }: { secret: ClientSecretView; detailed?: boolean }) {
  return (
    <span data-testid="client-secret-hint" data-expires={secret.expiresAt ? isoString(secret.expiresAt) : undefined} className="whitespace-nowrap">
      <code className="font-mono text-slate-900">…{secret.hint}</code>{" "}
      {secret.expiresAt ? (
        <span className="text-amber-800">
          valid until <RelativeTime at={secret.expiresAt} />
        </span>
      ) : (
        <span className="text-slate-500">{detailed ? "current" : ""}</span>
      )}
    </span>
  );
}
