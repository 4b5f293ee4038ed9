import { ROLE_LABELS, type Role } from "@/server/auth/permissions";
import { Badge, type BadgeTone } from "./ui/badge";

const roleTones: Record<Role, BadgeTone> = { security_admin: "indigo", owner: "green", support: "amber" };

export function RoleBadge({ role, testId }: { role: Role; testId?: string }) {
  return (
    <Badge tone={roleTones[role]} data-testid={testId}>
      {ROLE_LABELS[role]}
    </Badge>
  );
}
