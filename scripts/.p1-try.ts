import { performance } from 'node:perf_hooks';
async function main() {
  const { getPlatformDashboard } = await import('@/lib/data/platform-dashboard');
  const ctx = {} as never;
  for (let i = 0; i < 4; i++) {
    const t = performance.now();
    const d = await getPlatformDashboard(ctx, 90);
    console.log(`run ${i}: ${(performance.now() - t).toFixed(1)} ms`, i === 0 ? JSON.stringify({ cards: d.cards, reach: d.reach.slice(0, 3), s: d.signIns.byOrg.series, g: d.growth.slice(-2), inv: d.invitations.slice(-2) }) : '');
  }
  process.exit(0);
}
main();
