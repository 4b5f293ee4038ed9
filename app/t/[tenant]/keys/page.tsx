import type { Metadata } from "next";
import { PUBLIC_DOCUMENT_MAX_AGE_SECONDS } from "@/server/http/public-json";
import { DEFAULT_SIGNING_ALGORITHM, RSA_MODULUS_LENGTHS, SIGNING_ALGORITHMS } from "@/server/isomorphic/signing-keys/algorithms";
import { getTenantOverview } from "../../../_lib/tenant";
import { KeysPanel } from "./keys-panel";
import { TenantPage } from "@/components/tenant-page";
import { trpcServer } from "@/components/trpc/server";

export const metadata: Metadata = { title: "Signing keys" };

export default async function SigningKeysPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const o = await getTenantOverview(tenant);

  return (
    <TenantPage
      overview={o}
      title="Signing keys"
      intro={
        <p>
          The keys that sign {o.name}&apos;s tokens. Verifiers find their public halves in the JWKS. Rotating stages a
          new key as <em>next</em>; promoting makes it <em>current</em>, and the old key stays <em>previous</em> — still
          verifying the tokens it signed — until you revoke it.
        </p>
      }
      permission="keys.read"
      forbiddenWhat="signing keys"
      prefetch={[trpcServer.keys.list.queryOptions({ tenant: o.slug })]}
    >
      <KeysPanel
        tenant={o.slug}
        canManage={o.permissions.includes("keys.manage")}
        algorithms={SIGNING_ALGORITHMS}
        defaultAlgorithm={DEFAULT_SIGNING_ALGORITHM}
        rsaSizes={RSA_MODULUS_LENGTHS}
        cacheMinutes={Math.round(PUBLIC_DOCUMENT_MAX_AGE_SECONDS / 60)}
      />
    </TenantPage>
  );
}
