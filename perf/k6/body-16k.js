// 16 KiB response bodies at a fixed rate.
//   k6 run -e TARGET=http://127.0.0.1:18085 -e RATE=5000 perf/k6/body-16k.js
import http from 'k6/http';
import { check } from 'k6';
import { BASE, HOST, thresholds } from './common.js';

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
  const res = http.get(`${BASE}/16k`, { headers: { Host: HOST } });
  check(res, { 'status is 200': (r) => r.status === 200, 'body is 16 KiB': (r) => r.body.length === 16384 });
}
