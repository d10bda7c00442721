// POST with a 4 KiB body at a fixed rate.
//   k6 run -e TARGET=http://127.0.0.1:18085 perf/k6/post-body.js
import http from 'k6/http';
import { check } from 'k6';
import { BASE, HOST, thresholds } from './common.js';

const body = 'x'.repeat(Number(__ENV.BODY || 4096));

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
  const res = http.post(`${BASE}/small`, body, { headers: { Host: HOST, 'Content-Type': 'application/octet-stream' } });
  check(res, { 'status is 200': (r) => r.status === 200 });
}
