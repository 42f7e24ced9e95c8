// `npm run build:decisions`: the decision API (scripts/decisions.ts) as one CommonJS file for `npm start`, with the
// npm packages left external. Project imports (`@/…`) are resolved here rather than by esbuild's tsconfig paths: when
// such a file is missing (the generated Prisma client before `npm run db:generate`), esbuild would take `@/lib/…` for
// a package name, leave it external and write a bundle that cannot start. This build fails instead.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DECISIONS_ENTRY = path.join(root, 'scripts', 'decisions.ts');
export const DECISIONS_OUTFILE = path.join(root, '.next', 'decisions', 'decisions.cjs');

const isFile = (p: string) => existsSync(p) && statSync(p).isFile();

/** Where `@/x` points, as tsconfig's `"@/*": ["./*"]` and TypeScript's extension rules say; null when nowhere. */
export function resolveProjectImport(specifier: string): string | null {
  const base = path.join(root, specifier.slice(2));
  const candidates = [base, `${base}.ts`, `${base}.tsx`, `${base}.js`, `${base}.mjs`, path.join(base, 'index.ts')];
  return candidates.find(isFile) ?? null;
}

/** Resolves `@/…` imports to files, and refuses the build when one is missing. */
export const projectImports: Plugin = {
  name: 'gatehouse-project-imports',
  setup(b) {
    b.onResolve({ filter: /^@\// }, (args) => {
      const file = resolveProjectImport(args.path);
      if (file) return { path: file };
      const hint = args.path.startsWith('@/lib/generated/')
        ? ' The Prisma client is generated, not committed: run `npm run db:generate` (npm run build does it for you).'
        : '';
      return { errors: [{ text: `Cannot find ${args.path} (imported by ${path.relative(root, args.importer)}).${hint}` }] };
    });
  },
};

/** The esbuild options of the decision bundle (also used by the framework-free test, with a metafile). */
export function decisionBuildOptions(overrides: BuildOptions = {}): BuildOptions {
  return {
    entryPoints: [DECISIONS_ENTRY],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    plugins: [projectImports],
    outfile: DECISIONS_OUTFILE,
    logLevel: 'warning',
    ...overrides,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  build(decisionBuildOptions()).catch(() => {
    // esbuild has printed the errors.
    console.error('The decision API bundle was not built.');
    process.exit(1);
  });
}
