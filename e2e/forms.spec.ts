// Forms validate with the procedures' own schemas (react-hook-form + zodResolver) and put every
// error beside its field — the browser's checks and the server's refusals alike (the server names
// the field in error.data.field; the form never parses message text). Results are toasts.
import { expect, test } from "@playwright/test";
import { signIn, USERS } from "./helpers";

const run = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test("registering a client: a missing name and a redirect URI another tenant holds sit beside their fields", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/t/globex/clients");
  await page.getByTestId("client-register").click();
  const name = page.getByTestId("client-name-input");

  // Browser-side, from createClientInput: no request is needed to say the name is missing.
  await page.getByTestId("redirect-uris-input").fill("https://acme.example.com/callback");
  await expect(page.getByTestId("redirect-uris-checks").locator('[data-testid="uri-check-line"][data-ok="true"]')).toHaveCount(1);
  await page.getByTestId("client-create").click();
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(name).toHaveAccessibleDescription(/Give the client a name\./);
  await expect(name).toBeFocused();

  // Server-side: acme holds that redirect URI; the refusal names the field, so it sits under the list.
  const clientName = `e2e taken uri ${run()}`;
  await name.fill(clientName);
  await expect(name).not.toHaveAttribute("aria-invalid", "true");
  await page.getByTestId("client-create").click();
  await expect(page.getByTestId("redirect-uris-error")).toContainText("already registered by another tenant");
  await expect(page.getByTestId("redirect-uris-input")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("form-error")).toHaveCount(0);
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByTestId("client-row").filter({ hasText: clientName })).toHaveCount(0);
});

test("changing the password: mismatch, wrong current password and a guessable one each beside their field", async ({ page }) => {
  await signIn(page, "support");
  await page.goto("/account");
  const current = page.getByLabel("Current password");
  const next = page.getByLabel("New password", { exact: true });
  const confirm = page.getByLabel("Repeat the new password");
  const submit = page.getByRole("button", { name: "Change password" });

  await submit.click();
  await expect(current).toHaveAccessibleDescription(/Enter your current password\./);
  await expect(next).toHaveAccessibleDescription(/Use at least 12 characters\./);

  await current.fill("not the password at all");
  await next.fill("plinth marmalade orbit 42");
  await confirm.fill("plinth marmalade orbit 43");
  await submit.click();
  await expect(page.getByTestId("confirm-password-error")).toHaveText("The two passwords differ. Type the same password twice.");

  await confirm.fill("plinth marmalade orbit 42");
  await submit.click();
  await expect(page.getByTestId("current-password-error")).toHaveText("The current password is not correct.");
  await expect(page.getByTestId("confirm-password-error")).toHaveCount(0);

  // The right current password (which also clears the failed attempt) and a guessable new one.
  await current.fill(USERS.support.password);
  await next.fill("aaaaaaaaaaaa");
  await confirm.fill("aaaaaaaaaaaa");
  await submit.click();
  await expect(page.getByTestId("new-password-error")).toContainText("too easy to guess");
  await expect(page.getByTestId("current-password-error")).toHaveCount(0);
  await expect(page.getByTestId("form-error")).toHaveCount(0);
});

test("creating a workspace: the slug rule in the browser, a taken slug from the server, success as a toast", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/t/acme/policies");
  await page.getByTestId("workspace-new").click();
  const slug = page.getByLabel("Slug");
  const name = page.getByLabel("Name", { exact: true });
  const create = page.getByRole("button", { name: "Create workspace" });

  await slug.fill("Bad Slug");
  await name.fill("E2E workspace");
  await create.click();
  await expect(page.getByTestId("workspace-slug-error")).toContainText("lowercase letters, digits and hyphens");

  const ws = `e2e-${run()}`;
  await slug.fill(ws);
  await create.click();
  await expect(page.getByTestId("form-success")).toContainText("Workspace E2E workspace created.");
  await expect(page).toHaveURL(new RegExp(`workspace=${ws}`));

  await page.getByTestId("workspace-new").click();
  await page.getByLabel("Slug").fill(ws);
  await page.getByLabel("Name", { exact: true }).fill("Again");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.getByTestId("workspace-slug-error")).toContainText("already exists");
  await expect(page.getByLabel("Slug")).toBeFocused();

  // Never configured: it can be deleted again.
  await page.getByTestId("workspace-delete").click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page).not.toHaveURL(/workspace=/);
});
