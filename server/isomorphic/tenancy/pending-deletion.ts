// A tenant pending deletion (server/deletion/): its console is closed except the pending-deletion
// page, API keys answer 401 and public endpoints 404. Tenant procedures answer PRECONDITION_FAILED
// with this message unless built with { whilePendingDeletion: true } (server/api/trpc.ts).
export const PENDING_DELETION_MESSAGE =
  "This tenant is scheduled for deletion: its console, API keys and public endpoints are closed. An owner or a security admin can cancel the deletion during the grace period.";
