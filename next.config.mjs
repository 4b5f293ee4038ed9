/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  experimental: {
    // Server actions (sign-in, sign-out) post small forms; the proxy (proxy.ts) sees page requests
    // only, and must not buffer more than that on their way (route bodies: server/http/body-limit.ts).
    serverActions: { bodySizeLimit: "64kb" },
    proxyClientMaxBodySize: "64kb",
  },
  // Native and WASM server packages are loaded by Node at run time, not bundled.
  // OpenTelemetry is only imported when tracing is on (server/observability/tracing.ts); prom-client
  // keeps one copy per process.
  serverExternalPackages: [
    "@node-rs/argon2", "@electric-sql/pglite", "@electric-sql/pglite-socket", "pg", "ioredis",
    "@opentelemetry/api", "@opentelemetry/sdk-node", "@opentelemetry/exporter-trace-otlp-http", "prom-client", "pino",
  ],
  // Per-tenant well-known documents. The App Router ignores dot-folders, so the public URLs are
  // rewritten onto ordinary route handlers (app/api/public/tenants/[tenant]/…).
  async rewrites() {
    return [
      { source: "/:tenant/.well-known/jwks.json", destination: "/api/public/tenants/:tenant/jwks" },
      { source: "/:tenant/.well-known/openid-configuration", destination: "/api/public/tenants/:tenant/openid-configuration" },
    ];
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
      // Pages get a nonce-based policy from proxy.ts; API answers are data: nothing may load or frame them.
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }] },
    ];
  },
};

export default nextConfig;
