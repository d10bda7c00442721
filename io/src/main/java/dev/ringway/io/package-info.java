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
 */
package dev.ringway.io;
