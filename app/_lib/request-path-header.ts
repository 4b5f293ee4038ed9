// Shared by proxy.ts (which sets it) and the layouts that read it (request-path.ts): kept free of
// server-only imports so the proxy bundle stays small.
export const REQUEST_PATH_HEADER = "x-credo-request-path";
