/** Runs once when a server instance starts: refuse to serve on bad settings, naming them. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { env } = await import('@/lib/env');
  env();
}
