/**
 * The edge in front of the real origin, measured in one run (`npm run bench` in edge/,
 * with `VITRIN_BIN` pointing at a release build for figures worth quoting):
 *
 * 1. Origin requests saved: BENCH_REQUESTS (default 5,000) public `stats` reads through
 *    one edge node, 50 at a time, while a visit is recorded every 200 ms (each one
 *    purges `stats` on the edge) — edge requests per origin request.
 * 2. A cache hit through workerd against the same request straight to the origin (which
 *    answers it from memory): p50 and p99 of BENCH_LATENCY_REQUESTS (default 2,000)
 *    sequential requests each, and their ratios.
 */
import { gql, read, startStack } from '../e2e/harness.mjs';

const STATS = '{ stats { reviewCount visitCount completedJobs } }';
const requests = Number(process.env.BENCH_REQUESTS ?? 5000);
const latencyRequests = Number(process.env.BENCH_LATENCY_REQUESTS ?? 2000);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

async function latencies(base, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const started = process.hrtime.bigint();
    const res = await read(base, STATS);
    await res.arrayBuffer();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

// Every visit is a new visitor from its own network (through a trusted proxy), so each
// one is counted and changes `stats`.
const stack = await startStack({
  nodes: 1,
  env: { VITRIN_TRUSTED_PROXIES: '127.0.0.1', VITRIN_VISITS_PER_MINUTE: '100000' },
});
try {
  const edge = stack.edges[0];
  stack.proxy.reset();
  let visitor = 0;
  const visits = setInterval(() => {
    const n = visitor++;
    const client = { 'x-forwarded-for': `10.${(n >> 8) & 255}.${n & 255}.1` };
    gql(stack.origin, 'mutation($v: String!) { recordVisit(visitorId: $v) }', { v: `bench-${n}` }, undefined, client).catch(() => {});
  }, 200);
  const started = Date.now();
  let sent = 0;
  let wrong = 0;
  async function client() {
    while (sent < requests) {
      sent++;
      const res = await read(edge, STATS);
      if (res.status !== 200) wrong++;
      await res.arrayBuffer();
    }
  }
  await Promise.all(Array.from({ length: 50 }, client));
  clearInterval(visits);
  const seconds = (Date.now() - started) / 1000;
  const reached = stack.proxy.count('GET /graphql');
  const counted = (await gql(stack.origin, '{ stats { visitCount } }')).data.stats.visitCount;
  console.log(`burst: ${requests} reads through the edge in ${seconds.toFixed(1)} s (${Math.round(requests / seconds)}/s), ${counted} visits counted (each purges stats) meanwhile`);
  console.log(`  origin requests: ${reached} → ${(requests / Math.max(reached, 1)).toFixed(0)} edge requests per origin request; ${wrong} non-200 answers`);

  await latencies(edge, 200);
  await latencies(stack.origin, 200);
  const viaEdge = await latencies(edge, latencyRequests);
  const direct = await latencies(stack.origin, latencyRequests);
  const row = (name, t) => `  ${name.padEnd(22)} p50 ${percentile(t, 50).toFixed(2)} ms   p99 ${percentile(t, 99).toFixed(2)} ms`;
  console.log(`latency, ${latencyRequests} sequential requests each:`);
  console.log(row('edge (workerd) HIT', viaEdge));
  console.log(row('origin directly', direct));
  console.log(`  ratio edge/origin: p50 ${(percentile(viaEdge, 50) / percentile(direct, 50)).toFixed(2)}, p99 ${(percentile(viaEdge, 99) / percentile(direct, 99)).toFixed(2)}`);
} finally {
  await stack.stop();
}
