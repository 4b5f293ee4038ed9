// Polling for tests that wait on another process, a worker or a connection: until `cond` holds, or a
// failure naming what never happened. Tests assert outcomes, never how long they took.
export async function until(cond: () => boolean | Promise<boolean>, ms = 20_000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
