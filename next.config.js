// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Packages with native or wasm parts stay outside the server bundle.
  serverExternalPackages: ['pg', '@prisma/adapter-pg', '@electric-sql/pglite', 'pino', 'oidc-provider'],
  typedRoutes: false,
  experimental: {
    // forbidden() answers 403 with app/forbidden.tsx when a member lacks a power.
    authInterrupts: true,
    // Bulk import files: up to 50 MB (lib/provisioning/import/parse.ts refuses more with a clear message).
    serverActions: { bodySizeLimit: '51mb' },
    proxyClientMaxBodySize: '51mb',
  },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
        ],
      },
    ];
  },
};

module.exports = nextConfig;
