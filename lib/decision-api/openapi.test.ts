import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CheckBatchInput, CheckBatchResult, CheckInput, LoginDecision, LoginDecisionInput } from '@/lib/schemas/decision-api';
import { buildOpenApiDocument } from './openapi';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { $ref: string } }> }; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};

describe('the OpenAPI document', () => {
  const doc = buildOpenApiDocument({ serverUrl: 'https://gatehouse.example.com:3001' }) as unknown as Doc;

  it('is OpenAPI 3.1 and lists every endpoint of the contract', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/check',
      '/api/v1/check/batch',
      '/api/v1/decisions/client-credentials',
      '/api/v1/decisions/login',
      '/api/v1/health',
      '/api/v1/health/live',
      '/api/v1/health/ready',
      '/api/v1/imports',
      '/api/v1/imports/{id}',
      '/api/v1/openapi.json',
    ]);
    expect(Object.keys(doc.paths['/api/v1/health/ready']!.get!.responses).sort()).toEqual(['200', '503']);
    expect(Object.keys(doc.paths['/api/v1/check']!.post!.responses).sort()).toEqual(['200', '400', '401', '403', '404', '413', '429', '503']);
  });

  it('is made of the very schemas that validate requests and describe answers', () => {
    for (const [schema, io] of [
      [CheckInput, 'input'],
      [CheckBatchInput, 'input'],
      [LoginDecisionInput, 'input'],
      [LoginDecision, 'output'],
      [CheckBatchResult, 'output'],
    ] as const) {
      // Converted on its own, zod puts the schema and every schema it uses under $defs, by id.
      const alone = z.toJSONSchema(schema, { io }) as { $defs: Record<string, unknown> };
      const defs = JSON.parse(JSON.stringify(alone.$defs).replaceAll('#/$defs/', '#/components/schemas/')) as Record<string, unknown>;
      for (const [id, body] of Object.entries(defs)) expect(doc.components.schemas[id], id).toEqual(body);
    }
    expect(doc.components.schemas.CheckInput!.additionalProperties).toBe(false);
    expect(doc.paths['/api/v1/check']!.post!.requestBody!.content['application/json']!.schema.$ref).toBe('#/components/schemas/CheckInput');
  });

  it('resolves every reference', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const id of refs) expect(doc.components.schemas[id], id).toBeDefined();
  });

  it('describes the login answer with its namespaced claims', () => {
    const login = doc.components.schemas.LoginDecision as { properties: Record<string, { properties?: Record<string, unknown> }> };
    expect(Object.keys(login.properties.claims!.properties!)).toEqual([
      'https://gatehouse.app/roles',
      'https://gatehouse.app/permissions',
      'https://gatehouse.app/org',
      'https://gatehouse.app/orgs',
    ]);
  });
});
