import { readdirSync } from 'node:fs';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { decisionBuildOptions } from '@/scripts/build-decisions';

/**
 * The decision API runs as plain Node, and lib/provisioning and lib/access are shared with it (and the job worker):
 * nothing they reach, directly or through other modules, may be Next, React, `server-only` or the console's
 * server-only modules. The eslint rule (eslint.config.mjs) checks each file's own imports; this checks the whole
 * import graph, as the production bundle (npm run build:decisions) sees it.
 */

const root = path.resolve(__dirname, '../..');

const FORBIDDEN_PACKAGES = [/^server-only$/, /^client-only$/, /^react(-dom)?(\/|$)/, /^next(\/|$)/, /^@next\//, /^@auth0\/nextjs-auth0/];
const FORBIDDEN_FILES = [/^lib\/data\//, /^lib\/db\.ts$/, /^lib\/authz\/context\.ts$/, /^lib\/auth0\.ts$/, /^lib\/actions\//, /^app\//, /^components\//];

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => path.join(root, dir, f));
}

async function importGraph(entryPoints: string[]): Promise<Metafile> {
  const result = await build(decisionBuildOptions({ entryPoints, outfile: undefined, outdir: path.join(root, '.next', 'framework-free-check'), write: false, metafile: true, logLevel: 'silent' }));
  return result.metafile!;
}

/** Every import in the graph that breaks the rule, as `importer → imported`. */
function violations(meta: Metafile): string[] {
  const out: string[] = [];
  for (const [file, input] of Object.entries(meta.inputs)) {
    if (FORBIDDEN_FILES.some((re) => re.test(file))) out.push(`(in the graph) ${file}`);
    for (const imp of input.imports) {
      if (imp.external && FORBIDDEN_PACKAGES.some((re) => re.test(imp.path))) out.push(`${file} → ${imp.path}`);
    }
  }
  return out;
}

describe('framework-free modules', () => {
  it('the decision API process, lib/provisioning and lib/access reach no Next, React, server-only or console module', async () => {
    const entries = [path.join(root, 'scripts', 'decisions.ts'), ...sources('lib/provisioning'), ...sources('lib/access'), ...sources('lib/decision-api')];
    const meta = await importGraph(entries);
    const files = Object.keys(meta.inputs);
    // The graph is the real one: it holds the modules the login decision writes through.
    expect(files).toEqual(expect.arrayContaining(['scripts/decisions.ts', 'lib/provisioning/sign-in.ts', 'lib/provisioning/rule-effects.ts', 'lib/access/load.ts', 'lib/db-client.ts']));
    expect(violations(meta)).toEqual([]);
  });

  it('the check sees a forbidden import when there is one', async () => {
    const meta = await importGraph([path.join(root, 'lib', 'authz', 'context.ts')]);
    expect(violations(meta)).toEqual(expect.arrayContaining(['lib/authz/context.ts → server-only', 'lib/authz/context.ts → next/headers', '(in the graph) lib/data/users.ts']));
  });
});
