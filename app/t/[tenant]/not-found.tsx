import { NotFoundView } from "@/components/not-found-view";

export default function TenantNotFound() {
  return <NotFoundView />;
}
