/**
 * Ringway's data plane on Netty 4.2.
 *
 * <p>Entry point: {@link dev.ringway.io.NettyDataPlane#create(dev.ringway.io.DataPlaneOptions)}, then
 * {@link dev.ringway.io.DataPlane#apply} for every new {@code Snapshot} (publishes it and binds or
 * unbinds listener sockets, reporting each address in {@link dev.ringway.io.ApplyResult}),
 * {@link dev.ringway.io.DataPlane#writeMetrics} for Prometheus text, and
 * {@link dev.ringway.io.DataPlane#shutdown} to drain.
 *
 * <p>Threading: one event loop per core (io_uring, else epoll, else NIO). With io_uring/epoll every
 * loop has its own SO_REUSEPORT listening socket per address, so a connection is accepted and
 * served by one loop; its upstream connections are opened on and pooled by that same loop
 * ({@code UpstreamPool}), so nothing is handed across threads. Loops share only the immutable
 * snapshot, read through one volatile reference ({@code SnapshotHolder}) once per connection and
 * once per request. Metrics are per-loop single-writer counters summed at scrape time; the access
 * log is an MPSC queue drained by its own thread. Binds, TLS context builds and drain run on a
 * private apply thread.
 *
 * <p>Protocols toward clients: a cleartext HTTP port speaks HTTP/1.1 and prior-knowledge h2c (the
 * first bytes decide, {@code ProtocolSelection}); an HTTPS listener offers ALPN {@code h2} and
 * {@code http/1.1}. Every HTTP/2 stream has its own {@code HttpProxyHandler} writing to a
 * {@code Downstream} (the stream's frames on the shared connection, no child channel: {@code H2Server},
 * {@code H2Codecs}), so streams are routed, filtered and proxied independently.
 * Toward backends ({@code UpstreamTarget}, derived per backend in {@code ServingState}): HTTP/1.1 or
 * HTTP/2 ({@code appProtocol: kubernetes.io/h2c}; pooled multiplexed connections, {@code H2Upstream}),
 * cleartext or TLS (BackendTLSPolicy; {@code BackendTlsContexts}). Every exchange channel, an
 * HTTP/1.1 connection or an HTTP/2 stream, ends in an {@code UpstreamConn} speaking Netty's HTTP
 * message objects, so the proxy handler is the same whatever the protocols on either side.
 *
 * <p>Per request, {@code HttpProxyHandler} does routing, the HTTPRoute filters ({@code HttpFilters},
 * {@code CorsFilter}, mirrors in {@code MirrorExchange}), timeouts and retries (body kept for a
 * retry up to {@link dev.ringway.io.DataPlaneOptions.Upstream#retryBodyLimit()}).
 */
package dev.ringway.io;
