"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { Section } from "@/components/ui/card";
import { formatDateTime, isoString } from "@/components/format";
import { FirstLoad } from "@/components/query-state";

/** Plain text with its links made clickable (same-site paths only open in this console). */
function TextWithLinks({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s]+)/g);
  return (
    <pre className="whitespace-pre-wrap break-words font-sans text-sm text-slate-800">
      {parts.map((p, i) =>
        /^https?:\/\//.test(p) ? (
          <a key={i} href={new URL(p).pathname} className="text-indigo-700 underline" data-testid="outbox-link">
            {p}
          </a>
        ) : (
          p
        ),
      )}
    </pre>
  );
}

export function OutboxList() {
  const trpc = useTRPC();
  const outbox = useQuery(trpc.platform.users.outbox.queryOptions({}));
  return (
    <Section title="Messages">
      {!outbox.data || outbox.isError ? (
        <FirstLoad query={outbox} label="Loading messages…" />
      ) : outbox.data.delivery === "smtp" ? (
        <p className="text-sm text-slate-600" data-testid="outbox-smtp">
          E-mail is sent through the configured SMTP server; nothing is kept here.
        </p>
      ) : outbox.data.messages.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="outbox-empty">
          No messages yet.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {outbox.data.messages.map((m) => (
            <li key={m.id} className="py-3" data-testid="outbox-message">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <p className="font-medium text-slate-900">{m.subject}</p>
                <time className="text-xs text-slate-500" dateTime={isoString(m.createdAt)}>
                  {formatDateTime(m.createdAt)}
                </time>
              </div>
              <p className="mb-2 text-xs text-slate-600">To {m.to}</p>
              <TextWithLinks text={m.text} />
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
