#!/usr/bin/env bash
# TARGET_CMD for ../shared/bench/peers.sh: runs Ringway in front of the harness's backend.
# The harness sets BACKEND_HOST and BACKEND_PORT; this writes a Gateway with an HTTP listener on
# $RINGWAY_PORT (HTTP/1.1 and prior-knowledge h2c on the same port) and a TCP listener on
# $RINGWAY_TCP_PORT, both routed to the backend, and runs the gateway with one event loop
# (the harness pins it to one core). RINGWAY_JAVA_OPTS replaces the JVM defaults (the launcher's,
# plus -XX:+AlwaysPreTouch). RINGWAY_ROUTES=N adds N
# HTTPRoutes (host route-K.example.com, PathPrefix /rK/api, header X-Version: 2) for the
# many-routes scenario (perf/wrk/many-routes.lua, perf/k6/many-routes.js). RINGWAY_BENCH_DIR: the
# config directory to use (default: a temporary one). RINGWAY_JAR: another build's jar (with its
# lib/ next to it), for A/B runs of two builds with perf/bench/suite.py variants.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PORT="${RINGWAY_PORT:-18085}"
TCP_PORT="${RINGWAY_TCP_PORT:-18086}"
ADMIN="${RINGWAY_ADMIN:-127.0.0.1:19901}"
if [ -n "${RINGWAY_BENCH_DIR:-}" ]; then
  DIR="$RINGWAY_BENCH_DIR"; mkdir -p "$DIR"   # kept: perf/bench/suite.py reload rewrites files in it
else
  DIR="$(mktemp -d /tmp/ringway-bench.XXXXXX)"
  trap 'rm -rf "$DIR"' EXIT
fi
cat > "$DIR/bench.yaml" <<YAML
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: bench}
spec: {controllerName: ringway.dev/gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: bench, namespace: bench}
spec:
  gatewayClassName: bench
  listeners:
  - {name: http, port: $PORT, protocol: HTTP}
  - {name: tcp, port: $TCP_PORT, protocol: TCP}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: bench, namespace: bench}
spec:
  parentRefs: [{name: bench, sectionName: http}]
  rules: [{backendRefs: [{name: backend, port: 80}]}]
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: {name: bench-tcp, namespace: bench}
spec:
  parentRefs: [{name: bench, sectionName: tcp}]
  rules: [{backendRefs: [{name: backend, port: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: backend, namespace: bench}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: backend, namespace: bench, labels: {kubernetes.io/service-name: backend}}
addressType: IPv4
ports: [{name: http, port: ${BACKEND_PORT:?BACKEND_PORT is set by peers.sh}}]
endpoints: [{addresses: ["${BACKEND_HOST:-127.0.0.1}"]}]
YAML
for ((k = 0; k < ${RINGWAY_ROUTES:-0}; k++)); do
  cat >> "$DIR/bench.yaml" <<YAML
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: route-$k, namespace: bench}
spec:
  parentRefs: [{name: bench, sectionName: http}]
  hostnames: [route-$k.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /r$k/api}, headers: [{name: X-Version, value: "2"}]}]
    backendRefs: [{name: backend, port: 80}]
YAML
done
JAVA_HOME="${RINGWAY_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Dio.netty.leakDetection.level=disabled ${RINGWAY_JAVA_OPTS:-$("$ROOT/ringway" jvm-options) -XX:+AlwaysPreTouch} \
  -jar "${RINGWAY_JAR:-$ROOT/control/target/ringway-control.jar}" run --config "$DIR" --bind 127.0.0.1 --threads "${RINGWAY_THREADS:-1}" \
  --admin "$ADMIN" --transport "${RINGWAY_TRANSPORT:-auto}"
