import { redirect } from "next/navigation";
import { getProfileOrNull } from "./_lib/operator";

export default async function Home() {
  redirect((await getProfileOrNull()) ? "/tenants" : "/signin");
}
