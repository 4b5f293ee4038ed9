import type { SigningKeyView } from "@/server/keys/signing-keys";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { formatDateTime, isoString } from "@/components/format";
import { CopyButton } from "@/components/copy-button";
import { th, tdMiddle as td } from "@/components/ui/table";

export type KeyState = SigningKeyView["state"];

const stateTones: Record<KeyState, BadgeTone> = { current: "green", next: "indigo", previous: "amber", revoked: "red" };
const stateLabels: Record<KeyState, string> = { current: "Current", next: "Next", previous: "Previous", revoked: "Revoked" };
const stateHints: Record<KeyState, string> = {
  current: "Signs new tokens",
  next: "Published, signs nothing yet",
  previous: "Still verifies the tokens it signed",
  revoked: "No longer published",
};

export function KeyStateBadge({ state }: { state: KeyState }) {
  return (
    <Badge tone={stateTones[state]} title={stateHints[state]} data-testid="key-state">
      {stateLabels[state]}
    </Badge>
  );
}


function When({ at }: { at: Date | null }) {
  if (!at) {
    return (
      <>
        <span aria-hidden="true" className="text-slate-400">—</span>
        <span className="sr-only">Not yet</span>
      </>
    );
  }
  return <DateTime at={at} />;
}

/** "23 Nov 2026, 10:48 UTC", wrapping (if at all) between the date and the time only. */
function DateTime({ at }: { at: Date }) {
  const text = formatDateTime(at);
  const cut = text.indexOf(", ");
  return (
    <time dateTime={isoString(at)}>
      {cut < 0 ? (
        text
      ) : (
        <>
          <span className="whitespace-nowrap">{text.slice(0, cut + 1)}</span> <span className="whitespace-nowrap">{text.slice(cut + 2)}</span>
        </>
      )}
    </time>
  );
}

export function KeysTable({ keys, canManage, onRevoke }: { keys: SigningKeyView[]; canManage: boolean; onRevoke: (k: SigningKeyView) => void }) {
  return (
    <div className="relative overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={th}>State</th>
            <th scope="col" className={th}>Algorithm</th>
            <th scope="col" className={th}>Key ID (kid)</th>
            <th scope="col" className={th}>Created</th>
            <th scope="col" className={th}>Activated</th>
            <th scope="col" className={th}>Retired</th>
            <th scope="col" className={th}>Revoked</th>
            {canManage ? <th scope="col" className={th}><span className="sr-only">Actions</span></th> : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {keys.map((k) => (
            <tr key={k.id} data-testid="key-row" data-state={k.state} data-kid={k.kid} className={k.state === "revoked" ? "text-slate-500" : undefined}>
              <td className={td}>
                <KeyStateBadge state={k.state} />
              </td>
              <td className={`${td} whitespace-nowrap font-mono`} data-testid="key-alg">
                {k.alg}
              </td>
              <td className={td}>
                <div className="flex items-center gap-1">
                  <code className="block max-w-[8rem] truncate font-mono text-slate-900 xl:max-w-[12rem]" title={k.kid} data-testid="key-kid">
                    {k.kid}
                  </code>
                  <CopyButton value={k.kid} label={`Copy key ID ${k.kid}`} />
                </div>
              </td>
              <td className={td}>
                <When at={k.createdAt} />
              </td>
              <td className={td}>
                {k.state === "next" && k.autoPromoteAt ? (
                  <span className="block min-w-[9rem] text-indigo-700" data-testid="key-auto-promote">
                    Auto-promotes at <DateTime at={k.autoPromoteAt} />
                  </span>
                ) : (
                  <When at={k.activatedAt} />
                )}
              </td>
              <td className={td}>
                <When at={k.retiredAt} />
              </td>
              <td className={td}>
                <When at={k.revokedAt} />
              </td>
              {canManage ? (
                <td className={`${td} text-right`}>
                  {k.state === "previous" ? (
                    <Button
                      variant="ghost"
                      className="py-1 text-red-700 hover:bg-red-50 hover:text-red-800"
                      onClick={() => onRevoke(k)}
                      aria-label={`Revoke key ${k.kid}`}
                      data-testid="key-revoke"
                    >
                      Revoke
                    </Button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
