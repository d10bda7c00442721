// Shared settings of the k6 scenarios (same as the wrk scripts in perf/wrk).
// k6 is not installable on the build machines: CI checks these scripts' syntax with node.
export const BASE = __ENV.TARGET || 'http://127.0.0.1:18085';
export const HOST = __ENV.HOST || 'bench.example.com';

export function thresholds(p99ms) {
  return {
    http_req_failed: ['rate<0.001'],
    http_req_duration: [`p(99)<${p99ms}`],
  };
}
