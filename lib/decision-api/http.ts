import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '@/lib/errors';

/**
 * The little HTTP the decision API needs, on node:http directly (docs/decisions/0007-decision-api.md says why not a
 * framework): read a JSON body with a size limit, and answer JSON. Every failure is an AppError, which the server
 * turns into `{ error: { code, message } }`.
 */

/** A request body that may not be read: the status and message to answer with, and whether to close the connection. */
export class BodyError extends AppError {
  constructor(
    code: 'BAD_INPUT' | 'PAYLOAD_TOO_LARGE',
    message: string,
    /** The rest of the body was not read, so the connection cannot carry another request. */
    readonly closeConnection: boolean,
  ) {
    super(code, message);
  }
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const NOT_JSON = 'Send a JSON body (Content-Type: application/json).';

/**
 * Reads the body of a JSON request and calls back with `undefined` when it is empty, else the parsed value. Refuses a
 * content type other than JSON (400), a body over `limit` bytes (413; an announced length is checked before reading)
 * and invalid JSON (400). Values are plain JSON.parse output: an own `__proto__` key is just a key, which the strict
 * request schemas reject as unknown, so nothing here can reach a prototype. A callback rather than a promise: this
 * runs for every check, and the decision API answers within the same turn when it can.
 */
export function readJsonBody(req: IncomingMessage, limit: number, done: (error: BodyError | null, body?: unknown) => void): void {
  const type = req.headers['content-type'];
  const announced = req.headers['content-length'];
  const length = announced === undefined ? undefined : Number(announced);
  if (length !== undefined && length > limit) return done(tooLarge(limit));
  if (length === 0 || (length === undefined && req.headers['transfer-encoding'] === undefined)) {
    return type === undefined || JSON_TYPE.test(type) ? done(null, undefined) : done(new BodyError('BAD_INPUT', NOT_JSON, false));
  }
  if (type === undefined || !JSON_TYPE.test(type)) return done(new BodyError('BAD_INPUT', NOT_JSON, false));

  let first: Buffer | null = null;
  let more: Buffer[] | null = null;
  let received = 0;
  let finished = false;
  const finish = (error: BodyError | null, body?: unknown) => {
    if (finished) return;
    finished = true;
    done(error, body);
  };
  req.on('data', (chunk: Buffer) => {
    if (finished) return;
    received += chunk.length;
    if (received > limit) return finish(tooLarge(limit));
    if (first === null) first = chunk;
    else (more ??= [first]).push(chunk);
  });
  req.on('end', () => {
    if (finished) return;
    if (received === 0) return finish(null, undefined);
    const text = more ? Buffer.concat(more, received).toString('utf8') : first!.toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return finish(new BodyError('BAD_INPUT', 'The body is not valid JSON.', false));
    }
    finish(null, body);
  });
  req.on('error', () => finish(new BodyError('BAD_INPUT', 'The request body could not be read.', true)));
}

function tooLarge(limit: number): BodyError {
  return new BodyError('PAYLOAD_TOO_LARGE', `The body is larger than ${limit / 1024 / 1024} MiB.`, true);
}

/** Answers with a JSON text (already serialized). */
export function sendJson(res: ServerResponse, status: number, json: string, extra?: Record<string, string>): void {
  if (res.headersSent) return;
  const headers: string[] = ['content-type', 'application/json; charset=utf-8', 'content-length', String(Buffer.byteLength(json))];
  if (extra) for (const name in extra) headers.push(name, extra[name]!);
  res.writeHead(status, headers);
  res.end(json);
}
