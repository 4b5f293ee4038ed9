"use client";
import { useSyncExternalStore } from "react";

const subscribe = () => () => undefined;

/**
 * False in the server-rendered HTML and until React has hydrated, true after. Forms that submit
 * through a client-side mutation keep their submit button disabled until then: a click before
 * hydration would otherwise fall back to a native GET submit that puts the fields in the URL.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(subscribe, () => true, () => false);
}
