import pino from 'pino';

/** Structured logs (pino). Secrets and tokens never go through here. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
  redact: ['*.secret', '*.token', '*.authorization', '*.cookie', '*.password'],
  base: { service: 'gatehouse' },
});
