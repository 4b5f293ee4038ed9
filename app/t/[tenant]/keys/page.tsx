import type { Metadata } from "next";
import { ForbiddenView } from "@/components/forbidden-view";
import { PUBLIC_DOCUMENT_MAX_AGE_SECONDS } from "@/server/http/public-json";
import { DEFAULT_SIGNING_ALGORITHM, RSA_MODULUS_LENGTHS, SIGNING_ALGORITHMS } from "@/server/keys/jose";
import { getTenantOverview } from "../../../_lib/tenant";
import { KeysPanel } from "./keys-panel";

export const metadata: Metadata = { title: "Signing keys" };

export default async function SigningKeysPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const o = await getTenantOverview(tenant);

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Signing keys</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          The keys that sign {o.name}&apos;s tokens. Verifiers find their public halves in the JWKS. Rotating stages a
          new key as <em>next</em>; promoting makes it <em>current</em>, and the old key stays <em>previous</em> — still
          verifying the tokens it signed — until you revoke it.
        </p>
      </div>
      {o.permissions.includes("keys.read") ? (
        <KeysPanel
          tenant={o.slug}
          canManage={o.permissions.includes("keys.manage")}
          algorithms={SIGNING_ALGORITHMS}
          defaultAlgorithm={DEFAULT_SIGNING_ALGORITHM}
          rsaSizes={RSA_MODULUS_LENGTHS}
          cacheMinutes={Math.round(PUBLIC_DOCUMENT_MAX_AGE_SECONDS / 60)}
        />
      ) : (
        <ForbiddenView what="signing keys" />
      )}
    </div>
  );
}
