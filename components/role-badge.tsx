import { ROLE_LABELS, type Role } from "@/server/isomorphic/auth/permissions";
import { Badge, type BadgeTone } from "./ui/badge";

const roleTones: Record<Role | "api_key", BadgeTone> = { security_admin: "indigo", owner: "green", support: "amber", api_key: "slate" };

export function RoleBadge({ role, testId }: { role: Role | "api_key"; testId?: string }) {
  return (
    <Badge tone={roleTones[role]} data-testid={testId}>
      {ROLE_LABELS[role]}
    </Badge>
  );
}
