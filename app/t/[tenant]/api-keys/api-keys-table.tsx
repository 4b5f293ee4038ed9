import type { ApiKeyStatus, ApiKeyView } from "@/server/apikeys/service";
import { SCOPE_DESCRIPTIONS } from "@/components/scope-labels";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { formatDate, formatDateTime, isoString } from "@/components/format";
import { th, tdTop as td } from "@/components/ui/table";

export type ApiKeyRow = ApiKeyView;


const statusTones: Record<ApiKeyStatus, BadgeTone> = { active: "green", expired: "slate", revoked: "red" };

function When({ at }: { at: Date }) {
  return (
    <time dateTime={isoString(at)} title={formatDateTime(at)}>
      {formatDate(at)}
    </time>
  );
}

export function ApiKeysTable({ keys, onRevoke }: { keys: ApiKeyRow[]; onRevoke: (k: ApiKeyRow) => void }) {
  return (
    <div className="-mx-4 -my-4 overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={th}>Name</th>
            <th scope="col" className={th}>Prefix</th>
            <th scope="col" className={th}>Scopes</th>
            <th scope="col" className={th}>Created by</th>
            <th scope="col" className={th}>Created</th>
            <th scope="col" className={th}>Expires</th>
            <th scope="col" className={th}>Last used</th>
            <th scope="col" className={th}>Status</th>
            <th scope="col" className={th}><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {keys.map((k) => (
            <tr key={k.id} data-testid="api-key-row" data-status={k.status} data-public-id={k.publicId}>
              <td className={`${td} font-medium text-slate-900`}>{k.name}</td>
              <td className={`${td} whitespace-nowrap font-mono text-xs text-slate-700`}>{k.prefix}</td>
              <td className={td}>
                <ul className="flex max-w-xs flex-wrap gap-1" aria-label={`Scopes of ${k.name}`}>
                  {k.scopes.map((s) => (
                    <li key={s}>
                      <Badge tone="indigo" className="font-mono" title={SCOPE_DESCRIPTIONS[s]}>
                        {s}
                      </Badge>
                    </li>
                  ))}
                </ul>
              </td>
              <td className={`${td} text-slate-700`}>
                {k.createdByLabel}
                {k.creatorGone ? (
                  <Badge tone="amber" className="ml-2" data-testid="api-key-creator-gone" title="The person who created this key no longer has access to this tenant. Revoke the key unless someone still needs it.">
                    Creator no longer has access
                  </Badge>
                ) : null}
              </td>
              <td className={`${td} whitespace-nowrap text-slate-700`}>
                <When at={k.createdAt} />
              </td>
              <td className={`${td} whitespace-nowrap text-slate-700`} data-testid="api-key-expires">
                {k.expiresAt ? (
                  <When at={k.expiresAt} />
                ) : (
                  <Badge tone="amber" title="This key never expires: rotate it by hand.">
                    Never
                  </Badge>
                )}
              </td>
              <td className={`${td} whitespace-nowrap text-slate-700`} data-testid="api-key-last-used">
                {k.lastUsedAt ? (
                  <time dateTime={isoString(k.lastUsedAt)}>{formatDateTime(k.lastUsedAt)}</time>
                ) : (
                  <span className="text-slate-500">Never used</span>
                )}
              </td>
              <td className={td}>
                <Badge tone={statusTones[k.status]} data-testid="api-key-status">
                  {k.status}
                </Badge>
                {k.status === "revoked" && k.revokedAt ? (
                  <p className="mt-1 whitespace-nowrap text-xs text-slate-500">
                    <When at={k.revokedAt} />
                    {k.revokedByLabel ? <> by {k.revokedByLabel}</> : null}
                  </p>
                ) : null}
              </td>
              <td className={`${td} text-right`}>
                {k.status === "active" ? (
                  <Button
                    variant="ghost"
                    className="py-1 text-red-700 hover:bg-red-50 hover:text-red-800"
                    onClick={() => onRevoke(k)}
                    aria-label={`Revoke ${k.name}`}
                    data-testid="api-key-revoke"
                  >
                    Revoke
                  </Button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
