import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Auth0 runs each Action as one file with no imports of our own
 * (https://auth0.com/docs/customize/actions/write-your-first-action), so the post-login and credentials-exchange
 * Actions each carry a copy of `callGatehouse`. This test keeps the copies the same: the function (with its JSDoc)
 * and every top-level declaration it uses, directly or through another one (constants such as TIMEOUT_MS, helpers),
 * whatever their text is today.
 */

const ACTIONS = ['post-login.js', 'credentials-exchange.js'] as const;
const SHARED = 'callGatehouse';

/** The top-level declarations of a file by name, each with its full text (leading comments included). */
function topLevelDeclarations(file: ts.SourceFile): Map<string, ts.Node> {
  const found = new Map<string, ts.Node>();
  for (const statement of file.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) found.set(statement.name.text, statement);
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) found.set(d.name.text, statement);
    }
  }
  return found;
}

/** `name` and what it uses from the top level of `source`, transitively, as sorted [name, source text] pairs. */
function sharedCode(source: string, name: string): [string, string][] {
  const file = ts.createSourceFile('action.js', source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const declarations = topLevelDeclarations(file);
  const out = new Map<string, string>();
  const visit = (current: string) => {
    const node = declarations.get(current);
    if (!node || out.has(current)) return;
    out.set(current, node.getFullText(file).trim());
    const walk = (n: ts.Node) => {
      if (ts.isIdentifier(n) && n.text !== current && declarations.has(n.text)) visit(n.text);
      n.forEachChild(walk);
    };
    node.forEachChild(walk);
  };
  visit(name);
  return [...out.entries()].sort(([a], [b]) => a.localeCompare(b));
}

const readAction = (fileName: string) => readFileSync(path.join(__dirname, fileName), 'utf8');

describe(`the Auth0 Actions' shared ${SHARED}`, () => {
  it('is the same text in every Action, with the same top-level declarations it uses', () => {
    const [first, ...others] = ACTIONS.map((f) => sharedCode(readAction(f), SHARED));
    expect(first?.map(([n]) => n), `${ACTIONS[0]} defines ${SHARED}`).toContain(SHARED);
    for (const [i, code] of others.entries()) expect(code, `${ACTIONS[i + 1]} differs from ${ACTIONS[0]}`).toEqual(first);
  });

  describe('the comparison', () => {
    const action = (timeout: number, extra = '') =>
      `const TIMEOUT_MS = ${timeout};\nconst UNRELATED = ${extra || 1};\n/** Calls. */\nasync function ${SHARED}() {\n  return wait(TIMEOUT_MS);\n}\nfunction wait(ms) {\n  return ms;\n}\n`;

    it('sees a change in a constant the function uses, through a helper too', () => {
      expect(sharedCode(action(2000), SHARED)).not.toEqual(sharedCode(action(2001), SHARED));
      expect(sharedCode(action(2000), SHARED).map(([n]) => n)).toEqual(['TIMEOUT_MS', SHARED, 'wait'].sort((a, b) => a.localeCompare(b)));
      expect(sharedCode(action(2000), SHARED)).not.toEqual(sharedCode(action(2000).replace('return ms;', 'return ms + 1;'), SHARED));
    });

    it('ignores what the function does not use', () => {
      expect(sharedCode(action(2000, '2'), SHARED)).toEqual(sharedCode(action(2000, '3'), SHARED));
    });
  });
});
