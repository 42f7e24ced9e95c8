import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Runs the decision API (scripts/decisions.ts) and the job worker (scripts/worker.ts) as child processes of a launcher (dev, production start, e2e
 * server), beside the console. It is supervised on its own: when it stops, the console keeps running and the
 * decision API is started again at once; only a crash loop is slowed down (see restartDelay).
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

/** A run shorter than this that ends in a crash counts as a fast crash (a loop, not a one-off). */
export const FAST_CRASH_MS = 10_000;
/** The pause before the next start after 1, 2, 3, … fast crashes in a row; the last one repeats. */
export const RESTART_DELAYS_MS = [0, 1_000, 2_000, 5_000, 10_000, 30_000] as const;

/** What the supervisor remembers between starts: how many runs in a row crashed within FAST_CRASH_MS. */
export interface RestartState {
  fastCrashes: number;
}

/**
 * The restart policy, kept pure so it can be tested without processes: after a crash, how long to wait and the
 * state for the next run. A run that lasted FAST_CRASH_MS or more was healthy: the streak starts over and the
 * restart is immediate. A fast crash lengthens the streak; the n-th fast crash in a row waits RESTART_DELAYS_MS[n-1]
 * (the first one restarts at once: a single crash is not a loop).
 */
export function restartDelay(state: RestartState, uptimeMs: number): { delayMs: number; next: RestartState } {
  const fastCrashes = uptimeMs < FAST_CRASH_MS ? state.fastCrashes + 1 : 0;
  const delayMs = fastCrashes === 0 ? 0 : RESTART_DELAYS_MS[Math.min(fastCrashes, RESTART_DELAYS_MS.length) - 1]!;
  return { delayMs, next: { fastCrashes } };
}

export function superviseDecisionApi(options: {
  port: number;
  /** Interface to bind: 0.0.0.0 in production, localhost for local runs. */
  host: string;
  env: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}): DecisionApiProcess {
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  const url = `http://${shownHost}:${options.port}/api/v1`;
  const child = superviseProcess({
    name: 'the decision API',
    // Production runs the bundle `npm run build` makes (no TypeScript loader on the hot path); otherwise tsx.
    command: () =>
      options.env.NODE_ENV === 'production' && existsSync(DECISIONS_BUNDLE)
        ? [process.execPath, [DECISIONS_BUNDLE]]
        : [path.join('node_modules', '.bin', 'tsx'), [path.join('scripts', 'decisions.ts')]],
    env: { ...options.env, DECISIONS_PORT: String(options.port), DECISIONS_HOST: options.host },
    log: options.log,
  });

  return {
    url,
    async ready(timeoutMs: number) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && !child.stopped()) {
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
    stop: child.stop,
  };
}

/**
 * How the job worker is started, by the supervisor and likewise by its kill test and the import bench: node with tsx's
 * loader rather than the tsx CLI, whose child process would outlive a SIGKILL of the CLI; and its heap capped, because
 * V8 otherwise grows it freely under an import's allocation rate (483 MB RSS for a 100,000-row file, ADR 0011) while
 * what the worker keeps is one batch of rows. Most of the saving is the young generation (semi-spaces of 4 MB instead
 * of 16: about 60 MB less RSS for a few percent more of the worker's own CPU, which is small next to the database's).
 */
export function workerCommand(): [string, string[]] {
  return [process.execPath, ['--max-old-space-size=256', '--max-semi-space-size=4', '--import', 'tsx', path.join('scripts', 'worker.ts')]];
}

/** The job worker (scripts/worker.ts), supervised like the decision API: restarted when it stops, slowed in a crash loop. */
export function superviseWorker(options: { env: NodeJS.ProcessEnv; log?: (line: string) => void }): { stop(): Promise<void>; pid(): number | null } {
  const child = superviseProcess({
    name: 'the job worker',
    command: workerCommand,
    env: options.env,
    log: options.log,
  });
  return { stop: child.stop, pid: child.pid };
}

/**
 * Runs a child process beside the console and starts it again when it ends (see restartDelay); the console keeps
 * running meanwhile. `stop` ends it with SIGTERM (SIGKILL after 5 s) and stops supervising.
 */
export function superviseProcess(options: {
  name: string;
  command: () => [string, string[]];
  env: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}): { stop(): Promise<void>; stopped(): boolean; pid(): number | null } {
  const log = options.log ?? ((line: string) => console.warn(line));
  let child: ChildProcess | null = null;
  let stopped = false;
  let restart: RestartState = { fastCrashes: 0 };
  let timer: NodeJS.Timeout | null = null;

  /** Starts the process; `cause` is why the previous run ended, said in the start log of a restart. */
  const launch = (cause?: string) => {
    const startedAt = Date.now();
    if (cause) log(`› starting ${options.name} again (the previous run ended: ${cause})`);
    const [command, args] = options.command();
    const proc = spawn(command, args, { stdio: 'inherit', env: options.env });
    child = proc;
    proc.on('error', (error) => log(`› ${options.name} could not be started: ${error.message}`));
    proc.on('exit', (code, signal) => {
      if (child === proc) child = null;
      // Ctrl+C reaches the whole process group: that is a stop, not a crash.
      if (stopped || signal === 'SIGINT' || signal === 'SIGTERM' || code === 130 || code === 143) return;
      const uptimeMs = Date.now() - startedAt;
      const { delayMs, next } = restartDelay(restart, uptimeMs);
      restart = next;
      const why = `${signal ? `signal ${signal}` : `exit code ${code}`} after ${(uptimeMs / 1000).toFixed(1)} s up`;
      const when =
        delayMs === 0 ? 'restarting it now' : `restarting it in ${delayMs / 1000} s (${next.fastCrashes} crashes in a row within ${FAST_CRASH_MS / 1000} s of start)`;
      log(`› ${options.name} stopped (${why}); the console keeps running; ${when}`);
      timer = setTimeout(() => launch(why), delayMs);
    });
  };
  launch();

  return {
    stopped: () => stopped,
    pid: () => child?.pid ?? null,
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
