// `import "server-only"` marks a module that must never reach a browser bundle (database, env, key
// material). Next.js resolves that import itself and never loads this package: in a client bundle it
// fails the build, on the server it is empty. This package is what every OTHER Node process loads —
// the tsx CLIs (serve, worker, migrate, seed, bench), vitest and Playwright — which have no client
// bundle to protect. The npm package of that name throws there instead (it expects the
// "react-server" condition), hence this local no-op in package.json.
export {};
