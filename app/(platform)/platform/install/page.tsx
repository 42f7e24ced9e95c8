import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { CopyButton } from '@/components/install/copy-button';
import { Alert } from '@/components/ui/alert';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { pagePlatform } from '@/lib/authz/page';
import { can } from '@/lib/authz/policy';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { env, type Env } from '@/lib/env';

export const metadata: Metadata = { title: 'Install the Auth0 Actions' };

const ACTIONS = [
  {
    file: 'post-login.js',
    title: 'Post-login Action',
    copyLabel: 'the post-login Action code',
    trigger: 'Login / Post Login',
    flow: 'post-login (the Login flow)',
    scope: 'decisions:login',
    what:
      'Runs at every sign-in and refresh-token exchange. Denies the login with Gatehouse’s reason when the user may not reach the application; ' +
      'otherwise adds the active organization’s roles, the organization and the connection to the ID and access tokens, and the permissions ' +
      'of the API the access token is for to the access token only. Refreshes are decided too, and recorded as refreshes, not sign-ins.',
  },
  {
    file: 'credentials-exchange.js',
    title: 'Credentials-exchange Action',
    copyLabel: 'the credentials-exchange Action code',
    trigger: 'Machine to Machine / Credentials Exchange',
    flow: 'credentials-exchange (the Machine to Machine flow)',
    scope: 'decisions:client_credentials',
    what:
      'Runs when an M2M client asks for an access token. Denies the token when the client has no role granting a permission ' +
      'of that API (in the organization, when one is asked for); otherwise adds its roles and permissions to the token.',
  },
] as const;

interface DecisionsUrl {
  url: string;
  source: 'DECISIONS_PUBLIC_URL' | 'APP_BASE_URL';
}

/**
 * The URL Auth0 must reach the decision API at: DECISIONS_PUBLIC_URL, else the console's host on the decision API's
 * port (DECISIONS_PORT). Both settings are validated with the others when Gatehouse starts (lib/env.ts).
 */
function decisionsUrl({ appBaseUrl, decisions }: Env): DecisionsUrl {
  if (decisions.publicUrl) return { url: decisions.publicUrl, source: 'DECISIONS_PUBLIC_URL' };
  const base = new URL(appBaseUrl);
  base.port = String(decisions.port);
  return { url: base.origin, source: 'APP_BASE_URL' };
}

/** The Action source as shipped in the repository, read at request time so the page always shows what is deployed. */
async function readAction(file: string): Promise<string | null> {
  try {
    return await readFile(path.join(process.cwd(), 'integrations/auth0', file), 'utf8');
  } catch {
    return null;
  }
}

export default async function InstallPage() {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY.install);
  const canManageKeys = can(ctx.actor, 'api_keys:manage');
  const settings = env();
  const decisions = decisionsUrl(settings);
  const sources = await Promise.all(ACTIONS.map((a) => readAction(a.file)));

  const keysStep: ReactNode = canManageKeys ? (
    <>
      Create two keys on <Link href="/platform/api-keys" className="font-medium underline underline-offset-4">API keys</Link>: one with the
      scope <Code>decisions:login</Code> for the post-login Action, one with <Code>decisions:client_credentials</Code> for the
      credentials-exchange Action. Separate keys can be revoked separately. Each key is shown once; keep it for step 3.
    </>
  ) : (
    <>
      Ask an operator for two API keys (API keys page): one with the scope <Code>decisions:login</Code> for the post-login Action,
      one with <Code>decisions:client_credentials</Code> for the credentials-exchange Action.
    </>
  );

  return (
    <div className="space-y-6">
      <PageHeader
        title="Install the Auth0 Actions"
        description="Two Actions connect your Auth0 tenant to Gatehouse: one decides at sign-in, one when a machine asks for a token. Copy them into Auth0 and give them this deployment’s URL and an API key."
      />

      <section aria-labelledby="decisions-url-title">
        <Card>
          <CardHeader>
            <CardTitle>
              <h2 id="decisions-url-title">Decision API URL</h2>
            </CardTitle>
            <CardDescription>Put this in each Action’s secret GATEHOUSE_URL. Auth0 must be able to reach it over the internet.</CardDescription>
          </CardHeader>
          <CardContent className="space-y-3">
            <div className="flex flex-wrap items-center gap-3">
              <code className="rounded-md border border-border bg-muted px-3 py-1.5 font-mono text-sm">{decisions.url}</code>
              <CopyButton text={decisions.url} label="the decision API URL" />
            </div>
            {decisions.source === 'DECISIONS_PUBLIC_URL' ? (
              <p className="text-sm text-muted-foreground">
                Taken from the setting <Code>DECISIONS_PUBLIC_URL</Code>. To change it, change that setting and restart Gatehouse.
              </p>
            ) : (
              <p className="text-sm text-muted-foreground">
                Derived from <Code>APP_BASE_URL</Code> ({settings.appBaseUrl}) with the decision API’s port {settings.decisions.port} (<Code>DECISIONS_PORT</Code>), because{' '}
                <Code>DECISIONS_PUBLIC_URL</Code> is not set. If the decision API is published elsewhere (another host, a load balancer, https
                on port 443), set <Code>DECISIONS_PUBLIC_URL</Code> to its public URL, e.g. <Code>https://decisions.example.com</Code>, and
                restart Gatehouse.
              </p>
            )}
          </CardContent>
        </Card>
      </section>

      <section aria-labelledby="unknown-apps-title">
        <Card>
          <CardHeader>
            <CardTitle>
              <h2 id="unknown-apps-title">Applications Gatehouse does not know</h2>
            </CardTitle>
            <CardDescription>
              The post-login Action runs for every application in your Auth0 tenant. This deployment’s choice for one that is not registered under
              Applications:
            </CardDescription>
          </CardHeader>
          <CardContent className="space-y-3 text-sm">
            <p>
              {settings.decisions.unknownApplications === 'allow' ? (
                <>
                  <strong>Allowed without claims.</strong> A sign-in to an unregistered application goes through with no Gatehouse claims in its
                  tokens, so rolling the Action out locks nobody out of applications not registered yet. Register them to have Gatehouse decide.
                </>
              ) : (
                <>
                  <strong>Denied.</strong> A sign-in to an unregistered application is denied with “No application has the client id …”. Register
                  every application people sign in to before adding the Action to the Login flow.
                </>
              )}
            </p>
            <p className="text-muted-foreground">
              Set by <Code>DECISIONS_UNKNOWN_APPLICATIONS</Code> (<Code>deny</Code>, the default, or <Code>allow</Code>) where Gatehouse runs; a change
              takes effect when Gatehouse restarts.
            </p>
          </CardContent>
        </Card>
      </section>

      <section aria-labelledby="steps-title">
        <Card>
          <CardHeader>
            <CardTitle>
              <h2 id="steps-title">Steps</h2>
            </CardTitle>
            <CardDescription>In Gatehouse, then in the Auth0 dashboard. Repeat steps 2 to 5 for each Action.</CardDescription>
          </CardHeader>
          <CardContent>
            <ol className="list-decimal space-y-3 pl-5 text-sm leading-relaxed">
              <li>{keysStep}</li>
              <li>
                In the Auth0 dashboard open <strong>Actions → Library</strong>, choose <strong>Create Action → Build from scratch</strong>, name
                it (e.g. “Gatehouse post-login”), pick the trigger (<strong>Login / Post Login</strong> or{' '}
                <strong>Machine to Machine / Credentials Exchange</strong>) and the newest Node runtime offered (18 or later).
              </li>
              <li>
                Replace the editor’s content with the Action’s code below. Under <strong>Secrets</strong> (the key icon) add{' '}
                <Code>GATEHOUSE_URL</Code> = <Code>{decisions.url}</Code> and <Code>GATEHOUSE_API_KEY</Code> = the key from step 1. No
                dependencies are needed.
              </li>
              <li>
                Optional: add the secret <Code>GATEHOUSE_FAIL_OPEN</Code> = <Code>true</Code> if you prefer availability. By default the Actions
                fail closed: when Gatehouse does not answer within 2 seconds, or answers with an error, the login or token is denied with a
                clear reason. With <Code>GATEHOUSE_FAIL_OPEN</Code> only an unavailable Gatehouse (no connection, no answer within 2 seconds,
                HTTP 503 or 429) lets the login through without Gatehouse claims; any other answer, a 500 included, still denies.
              </li>
              <li>
                Click <strong>Deploy</strong>. Then open <strong>Actions → Triggers</strong> (<strong>Flows</strong> in older dashboards), choose{' '}
                <strong>post-login</strong> (Login) or <strong>credentials-exchange</strong> (Machine to Machine), drag the Action into the flow
                and click <strong>Apply</strong>.
              </li>
              <li>
                Sign in to one of your applications, or request a client-credentials token. A denied login shows Gatehouse’s reason as the
                error description; an allowed one carries the claims <Code>https://gatehouse.app/roles</Code>,{' '}
                <Code>https://gatehouse.app/org</Code>, <Code>https://gatehouse.app/orgs</Code> and <Code>https://gatehouse.app/connection</Code>,
                and its access token for an API also <Code>https://gatehouse.app/permissions</Code> with that API’s permissions.
              </li>
            </ol>
            <p className="mt-4 text-sm leading-relaxed">
              If you use Auth0 Organizations, link each Gatehouse organization to its Auth0 organization’s id (<Code>org_…</Code>) under{' '}
              <Link href="/platform/orgs" className="font-medium underline underline-offset-4">
                Organizations
              </Link>
              . The Actions match the id first, and try the Auth0 organization’s name as a slug only for organizations without a link.
            </p>
          </CardContent>
        </Card>
      </section>

      {ACTIONS.map((action, i) => {
        const source = sources[i] ?? null;
        const titleId = `action-${action.file.replace(/\W/g, '-')}`;
        return (
          <section key={action.file} aria-labelledby={titleId}>
            <Card>
              <CardHeader>
                <CardTitle>
                  <h2 id={titleId}>{action.title}</h2>
                </CardTitle>
                <CardDescription>
                  {action.what} Trigger: {action.trigger}; flow: {action.flow}; API key scope: <Code>{action.scope}</Code>.
                </CardDescription>
              </CardHeader>
              <CardContent className="space-y-3">
                {source === null ? (
                  <Alert variant="destructive">
                    This deployment could not read integrations/auth0/{action.file}. Copy the Action from the Gatehouse repository instead (the same
                    path).
                  </Alert>
                ) : (
                  <>
                    <CopyButton text={source} label={action.copyLabel} />
                    <pre
                      tabIndex={0}
                      role="region"
                      aria-label={`${action.title} code (${action.file})`}
                      className="max-h-[32rem] overflow-auto rounded-md border border-border bg-muted p-4 font-mono text-xs leading-relaxed"
                    >
                      <code>{source}</code>
                    </pre>
                  </>
                )}
              </CardContent>
            </Card>
          </section>
        );
      })}

      <p className="text-sm text-muted-foreground">
        Backends that check access per request can use the small Node client in <Code>integrations/node/</Code> of the Gatehouse repository
        (an API key with the scope <Code>check</Code>).
      </p>
    </div>
  );
}

function Code({ children }: { children: ReactNode }) {
  return <code className="rounded bg-muted px-1 py-0.5 font-mono text-[0.85em]">{children}</code>;
}
