/**
 * A plain node:http backend that asks Gatehouse, per request, whether the caller may read an org's reports.
 *
 *   GATEHOUSE_URL=http://localhost:3001 GATEHOUSE_API_KEY=gh_xxxxxxxx_... npx tsx integrations/node/example.ts
 *   curl -H 'x-user-sub: auth0|123' http://localhost:4000/orgs/acme/reports
 *
 * Settings: GATEHOUSE_URL, GATEHOUSE_API_KEY (scope "check"), and optionally PORT (4000), REPORTS_AUDIENCE
 * (https://api.example.com) and REPORTS_PERMISSION (read:reports): the API and permission, as registered on
 * Gatehouse's APIs page, that reading reports needs.
 *
 * Who is calling: a real backend takes `sub` from the access token it has verified (Auth0's JWKS). To stay
 * dependency-free this example reads it from the `x-user-sub` header, which is only acceptable behind a gateway that
 * verified the token and set the header itself.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createGatehouseClient, GatehouseError } from './gatehouse-client';

const baseUrl = process.env.GATEHOUSE_URL;
const apiKey = process.env.GATEHOUSE_API_KEY;
if (!baseUrl || !apiKey) {
  console.error('Set GATEHOUSE_URL (the decision API, e.g. http://localhost:3001) and GATEHOUSE_API_KEY (a key with the scope "check").');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 4000);
const audience = process.env.REPORTS_AUDIENCE ?? 'https://api.example.com';
const permission = process.env.REPORTS_PERMISSION ?? 'read:reports';

const gatehouse = createGatehouseClient({ baseUrl, apiKey });

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const match = /^\/orgs\/([a-z0-9][a-z0-9-]{1,47})\/reports\/?$/.exec(url.pathname);
  if (req.method !== 'GET' || !match) return send(res, 404, { error: 'not found' });
  const sub = req.headers['x-user-sub'];
  if (typeof sub !== 'string' || sub === '') return send(res, 401, { error: 'sign in first' });
  const org = match[1]!;

  try {
    const decision = await gatehouse.check({
      subject: { type: 'user', sub },
      organization: org,
      target: { type: 'permission', audience, permission },
    });
    if (!decision.allow) return send(res, 403, { error: 'forbidden', reason: decision.reason.message });
    // The real work goes here; Gatehouse said this user may read this org's reports.
    return send(res, 200, { org, reports: [{ id: 1, title: `Quarterly numbers for ${org}` }], roles: decision.roles });
  } catch (error) {
    // Gatehouse does not know this user or org: nothing to reach here.
    if (error instanceof GatehouseError && error.code === 'NOT_FOUND') return send(res, 403, { error: 'forbidden', reason: error.message });
    // No answer is not an answer: fail closed, and say whether retrying may help.
    if (error instanceof GatehouseError) {
      console.error(`Gatehouse ${error.code} (${error.status ?? 'no answer'}): ${error.message}`);
      return send(res, error.retryable ? 503 : 500, { error: 'access could not be checked' });
    }
    throw error;
  }
}

createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    console.error(error);
    if (!res.headersSent) send(res, 500, { error: 'internal error' });
  });
}).listen(port, () => {
  console.log(`Reports backend on http://localhost:${port}/orgs/<slug>/reports — asking Gatehouse at ${baseUrl}`);
});
