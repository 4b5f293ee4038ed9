import Link from "next/link";
import type { ClientView } from "@/server/clients/service";
import { CopyButton } from "@/components/copy-button";
import { formatDate, formatDateTime, isoString } from "@/components/format";
import { EnabledBadge, PkceBadge, SecretHint } from "./client-badges";
import { th, tdTop as td } from "@/components/ui/table";


export function ClientsTable({ clients, base }: { clients: ClientView[]; base: string }) {
  return (
    <div className="-mx-4 -my-4 overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={th}>Name</th>
            <th scope="col" className={th}>Type</th>
            <th scope="col" className={th}>Client ID</th>
            <th scope="col" className={th}>Redirect URIs</th>
            <th scope="col" className={th}>Secrets</th>
            <th scope="col" className={th}>Status</th>
            <th scope="col" className={th}>Created</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {clients.map((c) => (
            <tr key={c.id} data-testid="client-row" data-client-id={c.clientId} data-enabled={String(c.enabled)} className={c.enabled ? undefined : "bg-slate-50/60"}>
              <td className={`${td} font-medium`}>
                <Link href={`${base}/${c.id}`} className="text-indigo-700 hover:text-indigo-900 hover:underline" data-testid="client-link">
                  {c.name}
                </Link>
              </td>
              <td className={`${td} text-slate-700`} data-testid="client-type">
                {c.typeLabel}
              </td>
              <td className={td}>
                <div className="flex items-center gap-1">
                  <code className="block max-w-[10rem] truncate font-mono text-xs text-slate-900 xl:max-w-[16rem]" title={c.clientId} data-testid="client-id">
                    {c.clientId}
                  </code>
                  <CopyButton value={c.clientId} label={`Copy client ID of ${c.name}`} testId="copy-client-id" />
                </div>
              </td>
              <td className={`${td} text-slate-700`} data-testid="client-redirect-count">
                {c.type === "m2m" ? <span className="text-slate-500">—</span> : c.redirectUris.length}
              </td>
              <td className={`${td} text-xs`}>
                {c.confidential ? (
                  c.secrets.length ? (
                    <ul className="space-y-0.5">
                      {c.secrets.map((s) => (
                        <li key={s.id}>
                          <SecretHint secret={s} />
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span className="text-red-700">No valid secret</span>
                  )
                ) : (
                  <span className="text-slate-500">Public (no secret)</span>
                )}
              </td>
              <td className={td}>
                <div className="flex flex-wrap gap-1">
                  <EnabledBadge enabled={c.enabled} />
                  <PkceBadge client={c} />
                </div>
              </td>
              <td className={`${td} whitespace-nowrap text-slate-700`}>
                <time dateTime={isoString(c.createdAt)} title={formatDateTime(c.createdAt)}>
                  {formatDate(c.createdAt)}
                </time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
