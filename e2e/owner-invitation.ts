// A fresh tenant for one spec: the security admin creates it with an owner e-mail, which sends that
// person an owner invitation (nobody becomes a member without accepting); the invitee, signed in,
// accepts it through the same procedure the /invite page uses.
import { expect, type Browser, type Page, type TestInfo } from "@playwright/test";
import { mailedLink } from "./mail";

/** As a signed-in security admin: creates the tenant; its owner is invited by e-mail. */
export async function createTenantInvitingOwner(page: Page, slug: string, name: string, ownerEmail: string) {
  const res = await page.request.post("/api/trpc/platform.tenants.create", { data: { json: { slug, name, ownerEmail } } });
  expect(res.status()).toBe(200);
}

/** As the signed-in invitee: accepts the invitation to the tenant called `tenantName`. */
export async function acceptTenantInvitation(page: Page, browser: Browser, testInfo: TestInfo, email: string, tenantName: string) {
  const link = await mailedLink(browser, testInfo, email, "invite", tenantName);
  const token = link.split("/").pop()!;
  const res = await page.request.post("/api/trpc/account.acceptInvitationSignedIn", { data: { json: { token } } });
  expect(res.status(), await res.text()).toBe(200);
}
