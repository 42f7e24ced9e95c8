import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * A private PostgreSQL cluster for the tests that take the database away (the decision API's and the console's
 * outage tests): its own data folder under /tmp and its own port, so stopping it never touches the shared server on
 * 5432. Debian's initdb and pg_ctl refuse root, so they run as the postgres user.
 */
export const PG_BIN = '/usr/lib/postgresql/15/bin';
export const canRunPrivateCluster = existsSync(path.join(PG_BIN, 'initdb'));

const asPostgres = (args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'pipe' });

export interface PrivateCluster {
  port: number;
  dir: string;
  /** A connection URL for database `name` (default `postgres`). */
  url: (name?: string) => string;
  start: () => void;
  /** Immediate shutdown, as a crash or a pulled plug would be. */
  stop: () => void;
  running: () => boolean;
  /** Stops the cluster if it runs and deletes its folder. */
  remove: () => void;
}

export function startPrivateCluster(port: number): PrivateCluster {
  const dir = mkdtempSync('/tmp/gh-pg-');
  chmodSync(dir, 0o777);
  execFileSync('chown', ['postgres', dir]);
  asPostgres([`${PG_BIN}/initdb`, '-D', dir, '-U', 'postgres', '--auth=trust', '--no-sync']);
  const pgCtl = (...args: string[]) => asPostgres([`${PG_BIN}/pg_ctl`, '-D', dir, '-l', path.join(dir, 'server.log'), '-w', ...args]);
  const running = () => {
    try {
      pgCtl('status');
      return true;
    } catch {
      return false;
    }
  };
  const cluster: PrivateCluster = {
    port,
    dir,
    url: (name = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${name}`,
    start: () => pgCtl('-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start'),
    stop: () => pgCtl('-m', 'immediate', 'stop'),
    running,
    remove: () => {
      if (running()) cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  cluster.start();
  return cluster;
}
