// Where verifiers find the tenant's keys: the issuer, the configured JWKS URI, and this console's
// copy of the public documents (opened in a new tab).
import { Section } from "@/components/ui/card";

export function JwksInfo({ tenant, issuer, jwksUri, cacheMinutes }: { tenant: string; issuer: string; jwksUri: string; cacheMinutes: number }) {
  const slug = encodeURIComponent(tenant);
  const localJwks = `/${slug}/.well-known/jwks.json`;
  const localDiscovery = `/${slug}/.well-known/openid-configuration`;
  const link = "break-all font-mono text-indigo-600 underline-offset-2 hover:text-indigo-800 hover:underline";

  return (
    <Section title="Issuer and JWKS">
      <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[10rem_minmax(0,1fr)]" data-testid="jwks-info">
        <dt className="font-medium text-slate-700">Issuer (iss)</dt>
        <dd className="break-all font-mono text-slate-900" data-testid="issuer">
          {issuer}
        </dd>
        <dt className="font-medium text-slate-700">JWKS URI</dt>
        <dd className="break-all font-mono text-slate-900" data-testid="jwks-uri">
          {jwksUri}
        </dd>
        <dt className="font-medium text-slate-700">Served here</dt>
        <dd className="space-y-1">
          <a href={localJwks} target="_blank" rel="noopener noreferrer" className={`${link} block`} data-testid="jwks-link">
            {localJwks}
            <span className="sr-only"> (opens in a new tab)</span>
          </a>
          <a href={localDiscovery} target="_blank" rel="noopener noreferrer" className={`${link} block`} data-testid="discovery-link">
            {localDiscovery}
            <span className="sr-only"> (opens in a new tab)</span>
          </a>
        </dd>
      </dl>
      <p className="mt-3 text-xs text-slate-500">
        Next, current and previous keys are published; revoked keys are not. Verifiers may cache these documents for up to{" "}
        {cacheMinutes} minutes.
      </p>
    </Section>
  );
}
