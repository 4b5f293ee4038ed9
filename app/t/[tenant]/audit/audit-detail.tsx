// Before/after state of one audit event, as formatted JSON.
function JsonBlock({ label, value }: { label: string; value: unknown }) {
  return (
    <div className="min-w-0 flex-1">
      <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{label}</p>
      <pre className="max-h-72 overflow-auto rounded-md border border-slate-200 bg-white p-3 font-mono text-xs text-slate-800">
        {value === null || value === undefined ? "—" : JSON.stringify(value, null, 2)}
      </pre>
    </div>
  );
}

export function AuditDetail({
  before,
  after,
  requestId,
  userAgent,
  seq,
  hash,
}: {
  before: unknown;
  after: unknown;
  requestId: string | null;
  userAgent: string | null;
  seq: bigint | null;
  hash: string | null;
}) {
  return (
    <div className="space-y-3">
      <div className="flex flex-col gap-3 md:flex-row">
        <JsonBlock label="Before" value={before} />
        <JsonBlock label="After" value={after} />
      </div>
      {requestId || userAgent || seq !== null ? (
        <dl className="flex flex-wrap gap-x-6 gap-y-1 text-xs text-slate-600">
          {seq !== null ? (
            <div className="flex min-w-0 gap-1">
              <dt>Chain:</dt>
              <dd className="truncate font-mono" title={hash ?? undefined}>
                #{seq.toString()} {hash ? `${hash.slice(0, 16)}…` : ""}
              </dd>
            </div>
          ) : null}
          {requestId ? (
            <div className="flex gap-1">
              <dt>Request:</dt>
              <dd className="font-mono">{requestId}</dd>
            </div>
          ) : null}
          {userAgent ? (
            <div className="flex min-w-0 gap-1">
              <dt>User agent:</dt>
              <dd className="truncate">{userAgent}</dd>
            </div>
          ) : null}
        </dl>
      ) : null}
    </div>
  );
}
