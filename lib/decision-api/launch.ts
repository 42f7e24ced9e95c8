import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Runs the decision API (scripts/decisions.ts) as a child process of a launcher (dev, production start, e2e
 * server), beside the console. It is supervised on its own: when it stops, the console keeps running and the
 * decision API is started again after a growing pause (1 s, 2 s, … 30 s).
 */
export interface DecisionApiProcess {
  /** The URL of the decision API's base path, e.g. http://localhost:3001/api/v1. */
  readonly url: string;
  /** Waits until /api/v1/health answers, up to `timeoutMs`; false if it did not. */
  ready(timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

/** Where `npm run build:decisions` writes the decision API as one CommonJS file (packages stay external). */
export const DECISIONS_BUNDLE = path.join('.next', 'decisions', 'decisions.cjs');

export function superviseDecisionApi(options: {
  port: number;
  /** Interface to bind: 0.0.0.0 in production, localhost for local runs. */
  host: string;
  env: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}): DecisionApiProcess {
  const log = options.log ?? ((line: string) => console.warn(line));
  let child: ChildProcess | null = null;
  let stopped = false;
  let delay = 1_000;
  let timer: NodeJS.Timeout | null = null;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  const url = `http://${shownHost}:${options.port}/api/v1`;

  const launch = () => {
    const startedAt = Date.now();
    // Production runs the bundle `npm run build` makes (no TypeScript loader on the hot path); otherwise tsx.
    const bundled = options.env.NODE_ENV === 'production' && existsSync(DECISIONS_BUNDLE);
    const [command, args] = bundled
      ? [process.execPath, [DECISIONS_BUNDLE]]
      : [path.join('node_modules', '.bin', 'tsx'), [path.join('scripts', 'decisions.ts')]];
    const proc = spawn(command, args, {
      stdio: 'inherit',
      env: { ...options.env, DECISIONS_PORT: String(options.port), DECISIONS_HOST: options.host },
    });
    child = proc;
    proc.on('error', (error) => log(`› the decision API could not be started: ${error.message}`));
    proc.on('exit', (code, signal) => {
      if (child === proc) child = null;
      // Ctrl+C reaches the whole process group: that is a stop, not a crash.
      if (stopped || signal === 'SIGINT' || signal === 'SIGTERM' || code === 130 || code === 143) return;
      if (Date.now() - startedAt > 60_000) delay = 1_000;
      log(`› the decision API stopped (${signal ?? `exit code ${code}`}); the console keeps running; restarting it in ${delay / 1000} s`);
      timer = setTimeout(launch, delay);
      delay = Math.min(delay * 2, 30_000);
    });
  };
  launch();

  return {
    url,
    async ready(timeoutMs: number) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && !stopped) {
        try {
          const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
          if (res.ok) return true;
        } catch {
          // not up yet
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      return false;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      const killTimer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killTimer);
    },
  };
}
