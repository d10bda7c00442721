// HTTP/1.1 keep-alive, small responses, at a fixed arrival rate below saturation (p99 claims).
//   k6 run -e TARGET=http://127.0.0.1:18085 -e RATE=20000 perf/k6/keepalive-small.js
import http from 'k6/http';
import { check } from 'k6';
import { BASE, HOST, thresholds } from './common.js';

export const options = {
  scenarios: {
    fixed: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.RATE || 10000),
      timeUnit: '1s',
      duration: __ENV.DURATION || '30s',
      preAllocatedVUs: 200,
      maxVUs: 400,
    },
  },
  thresholds: thresholds(Number(__ENV.P99_MS || 5)),
};

export default function () {
  const res = http.get(`${BASE}/small`, { headers: { Host: HOST } });
  check(res, { 'status is 200': (r) => r.status === 200 });
}
