// Many routes with header matches (perf/bench/target.sh with RINGWAY_ROUTES=N generates the configuration).
//   k6 run -e TARGET=http://127.0.0.1:18085 -e ROUTES=1000 perf/k6/many-routes.js
import http from 'k6/http';
import { check } from 'k6';
import { BASE, thresholds } from './common.js';

const routes = Number(__ENV.ROUTES || 1000);

export const options = {
  scenarios: {
    fixed: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.RATE || 5000),
      timeUnit: '1s',
      duration: __ENV.DURATION || '30s',
      preAllocatedVUs: 100,
      maxVUs: 300,
    },
  },
  thresholds: thresholds(Number(__ENV.P99_MS || 10)),
};

export default function () {
  const r = Math.floor(Math.random() * routes);
  const res = http.get(`${BASE}/r${r}/api/items`, { headers: { Host: `route-${r}.example.com`, 'X-Version': '2' } });
  check(res, { 'status is 200': (res2) => res2.status === 200 });
}
