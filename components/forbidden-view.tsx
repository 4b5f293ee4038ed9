import { Notice } from "./ui/notice";

/** Inside a tenant the user may open, for a section their role does not include. */
export function ForbiddenView({ what }: { what: string }) {
  return (
    <Notice tone="warning" testId="forbidden">
      Your role in this tenant does not include access to {what}.
    </Notice>
  );
}
