import { z } from 'zod';
import type { ApiKeyScope } from '@/lib/access/api-key-scopes';
import { DECISION_API_REQUEST_SCHEMAS, DECISION_API_RESPONSE_SCHEMAS, MAX_BATCH_ITEMS } from '@/lib/schemas/decision-api';

/**
 * The decision API's OpenAPI 3.1 document, generated from the zod schemas in lib/schemas/decision-api.ts: the very
 * schemas the server validates requests with (as inputs) and describes its answers with (as outputs).
 */

type JsonSchema = Record<string, unknown>;

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

function idOf(schema: z.ZodType): string {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error('every decision API schema listed for the OpenAPI document needs a meta id');
  return id;
}

/** Converts the listed schemas with `io` and returns them keyed by id, referring to each other under components. */
function convert(schemas: readonly z.ZodType[], io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const s of schemas) registry.add(s, { id: idOf(s) });
  // Descriptions and ids set with .meta() are read from the global registry; ours only says which to emit.
  const { schemas: out } = z.toJSONSchema(registry, { io, target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}` }) as {
    schemas: Record<string, JsonSchema>;
  };
  if ('__shared' in out) throw new Error(`a schema with a meta id is used but not listed: ${JSON.stringify(Object.keys(out.__shared!))}`);
  const result: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(out)) {
    const { $schema: _schema, $id: _id, ...rest } = schema;
    result[id] = rest;
  }
  return result;
}

const errors = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [
      String(s),
      {
        description: ERROR_DESCRIPTIONS[s],
        content: { 'application/json': { schema: ref('ApiError') } },
        ...(s === 429 || s === 503 ? { headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } } } : {}),
      },
    ]),
  );

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'BAD_INPUT: not JSON, or not this shape (unknown fields are refused).',
  401: 'UNAUTHENTICATED: no API key, or one that is malformed, unknown, revoked or expired.',
  403: 'FORBIDDEN: the API key lacks the scope this endpoint needs.',
  404: 'NOT_FOUND: an unknown user, client, application or organization.',
  413: `PAYLOAD_TOO_LARGE: a body over 1 MiB, or a batch over ${MAX_BATCH_ITEMS} items.`,
  429: 'RATE_LIMITED: too many requests with this key; retry after Retry-After seconds.',
  503: 'UNAVAILABLE: this instance is starting or shutting down; retry after Retry-After seconds (another instance may answer).',
};

function decisionOperation(summary: string, description: string, scope: ApiKeyScope, input: string, output: string, notFound = true) {
  return {
    post: {
      summary,
      description: `${description}\n\nAPI key scope: \`${scope}\`.`,
      security: [{ apiKey: [] }],
      requestBody: { required: true, content: { 'application/json': { schema: ref(input) } } },
      responses: {
        200: { description: 'The decision (a deny is `allow: false` with a reason).', content: { 'application/json': { schema: ref(output) } } },
        ...errors(400, 401, 403, ...(notFound ? [404] : []), 413, 429, 503),
      },
    },
  };
}

const SUMMARY: JsonSchema = {
  type: 'object',
  description: 'Counts of rows by outcome and of the changes they make.',
  properties: Object.fromEntries(['rows', 'create', 'update', 'unchanged', 'error', 'newUsers', 'newMemberships', 'tierChanges', 'roleGrants'].map((k) => [k, { type: 'integer' }])),
};

/** The import answers (lib/provisioning/import/jobs.ts ImportJobDto and ImportRowDto). */
const IMPORT_SCHEMAS: Record<string, JsonSchema> = {
  ImportSummary: SUMMARY,
  ImportJob: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      status: { enum: ['PLANNED', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] },
      fileName: { type: 'string' },
      sha256: { type: 'string', description: 'SHA-256 of the uploaded bytes (hex).' },
      orgId: { type: ['string', 'null'] },
      startedBy: { type: 'string' },
      total: { type: 'integer' },
      done: { type: 'integer', description: 'Rows applied so far.' },
      plan: ref('ImportSummary'),
      applied: { oneOf: [ref('ImportSummary'), { type: 'null' }] },
      error: { type: ['string', 'null'] },
      cancelRequested: { type: 'boolean' },
      createdAt: { type: 'string', format: 'date-time' },
      startedAt: { type: ['string', 'null'], format: 'date-time' },
      finishedAt: { type: ['string', 'null'], format: 'date-time' },
      rowsPerSecond: { type: ['integer', 'null'] },
      secondsLeft: { type: ['integer', 'null'] },
    },
    required: ['id', 'status', 'fileName', 'sha256', 'total', 'done', 'plan'],
  },
  ImportRow: {
    type: 'object',
    properties: {
      row: { type: 'integer', description: 'The row as a spreadsheet numbers it (the header is row 1).' },
      email: { type: 'string' },
      org: { type: 'string' },
      tier: { type: 'string' },
      roles: { type: 'string' },
      outcome: { enum: ['create', 'update', 'unchanged', 'error', ''] },
      message: { type: 'string', description: 'What the row does, or why it cannot (naming the column).' },
      applied: { type: 'boolean' },
    },
    required: ['row', 'email', 'outcome', 'message', 'applied'],
  },
  ImportCreated: { type: 'object', properties: { job: ref('ImportJob') }, required: ['job'] },
  ImportStatus: {
    type: 'object',
    properties: { job: ref('ImportJob'), rows: { type: 'array', items: ref('ImportRow') }, nextAfter: { type: ['integer', 'null'] } },
    required: ['job', 'rows', 'nextAfter'],
  },
};

/** Builds the document; `serverUrl` is where this deployment's decision API answers, when known. */
export function buildOpenApiDocument(options: { serverUrl?: string } = {}): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Gatehouse decision API',
      version: '1.0.0',
      description:
        'Access decisions for Auth0 Actions and backends. Authenticate with `Authorization: Bearer gh_<prefix>_<secret>` ' +
        '(an API key created by a platform operator). Errors are `{ error: { code, message } }`; a deny is a 200 with ' +
        '`allow: false` and a reason. Requests are rate-limited per key. A method a path does not have answers 405 ' +
        '`METHOD_NOT_ALLOWED` with an `Allow` header.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    paths: {
      '/api/v1/decisions/login': decisionOperation(
        'Decide a sign-in (Auth0 post-login Action)',
        'Records the sign-in (creating the user and applying the default-role rules on the first one; a refresh-token ' +
          'exchange, `kind: refresh`, is recorded as a refresh), then decides whether the user may sign in to the ' +
          'application with this client id, in the organization given (by Auth0 organization id first, then by slug), ' +
          'and returns the claims to put in the tokens (permissions only of `audience` when given). An application ' +
          'Gatehouse does not know is a 404, or, where the deployment allows unknown applications, an allow without ' +
          'claims (`unknown_application_allowed`).',
        'decisions:login',
        'LoginDecisionInput',
        'LoginDecision',
      ),
      '/api/v1/decisions/client-credentials': decisionOperation(
        'Decide a client-credentials exchange (Auth0 credentials-exchange Action)',
        'May this M2M client obtain a token for the audience (in the organization given)? Lists its permissions on that API.',
        'decisions:client_credentials',
        'ClientCredentialsDecisionInput',
        'ClientCredentialsDecision',
      ),
      '/api/v1/check': decisionOperation(
        'Check one access',
        'May this user or M2M client reach the application or permission, in the organization given?',
        'check',
        'CheckInput',
        'CheckResult',
      ),
      '/api/v1/check/batch': decisionOperation(
        'Check many accesses',
        `1 to ${MAX_BATCH_ITEMS} checks in one request, answered in order; an item with an unknown subject, organization ` +
          'or application gets its own `{ error }` instead of failing the batch.',
        'check',
        'CheckBatchInput',
        'CheckBatchResult',
        false,
      ),
      '/api/v1/imports': {
        post: {
          summary: 'Upload a bulk import (dry run, optionally run)',
          description:
            'The body is the file: CSV (RFC 4180, UTF-8, a header row with email, name, org, tier, roles, connection; roles ' +
            'are role keys separated by `;`) or JSON Lines (one object per line with those fields, `?name=…jsonl`). Up to ' +
            '100,000 people and 50 MB. Every row is checked and planned (a dry run: nothing changes); `run=true` also ' +
            'queues the run, which applies the file in batches in the background: poll `GET /api/v1/imports/{id}`. ' +
            'Idempotent by email: the same file again changes nothing. A file that cannot be read is refused with the row ' +
            'and column at fault.\n\nAPI key scope: `import`.',
          security: [{ apiKey: [] }],
          parameters: [
            { name: 'name', in: 'query', description: 'The file name shown in the console (`.jsonl` reads JSON Lines).', schema: { type: 'string', maxLength: 200 } },
            { name: 'run', in: 'query', description: 'true: queue the run after the dry run.', schema: { type: 'boolean', default: false } },
            { name: 'sendInvitations', in: 'query', description: 'true: mail an invitation to imported people who never signed in.', schema: { type: 'boolean', default: false } },
          ],
          requestBody: {
            required: true,
            content: { 'text/csv': { schema: { type: 'string' } }, 'application/x-ndjson': { schema: { type: 'string' } } },
          },
          responses: {
            201: { description: 'The import, planned (or queued with run=true).', content: { 'application/json': { schema: ref('ImportCreated') } } },
            ...errors(400, 401, 403, 413, 429, 503),
          },
        },
      },
      '/api/v1/imports/{id}': {
        get: {
          summary: 'An import: status, progress, counts, and a page of its per-row report',
          description: 'API key scope: `import`.',
          security: [{ apiKey: [] }],
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
            { name: 'after', in: 'query', description: 'Rows after this row number (the previous page\'s `nextAfter`).', schema: { type: 'integer', minimum: 0 } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
            { name: 'errors', in: 'query', description: 'true: only the rows in error.', schema: { type: 'boolean' } },
          ],
          responses: {
            200: { description: 'The import and a page of its report.', content: { 'application/json': { schema: ref('ImportStatus') } } },
            ...errors(400, 401, 403, 404, 429, 503),
          },
        },
      },
      '/api/v1/openapi.json': {
        get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': {} } } } },
      },
      '/api/v1/health': {
        get: {
          summary: 'Liveness (same as /health/live)',
          responses: { 200: { description: 'The process answers.', content: { 'application/json': { schema: ref('Health') } } } },
        },
      },
      '/api/v1/health/live': {
        get: {
          summary: 'Liveness: probe this to restart a stuck process',
          description: 'Always 200 while the process can answer, whatever the database does (answers come from the in-memory snapshot).',
          responses: { 200: { description: 'The process answers.', content: { 'application/json': { schema: ref('Health') } } } },
        },
      },
      '/api/v1/health/ready': {
        get: {
          summary: 'Readiness: probe this to route traffic',
          description:
            'Reports how old the snapshot is; 503 only when it is older than DECISIONS_MAX_SNAPSHOT_AGE_SECONDS (default 300 s), ' +
            'so a database outage shorter than that keeps every instance in rotation, answering from its snapshot.',
          responses: {
            200: { description: 'The snapshot is within the maximum age.', content: { 'application/json': { schema: ref('Readiness') } } },
            503: { description: 'The snapshot is older than the maximum age.', content: { 'application/json': { schema: ref('Readiness') } } },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'gh_<prefix>_<secret>', description: 'A Gatehouse decision API key.' },
      },
      schemas: { ...convert(DECISION_API_REQUEST_SCHEMAS, 'input'), ...convert(DECISION_API_RESPONSE_SCHEMAS, 'output'), ...IMPORT_SCHEMAS },
    },
  };
}
