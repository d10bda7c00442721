package dev.ringway.io;

import dev.ringway.core.route.Backend;

/**
 * Manual benchmark harness (not a test): starts the test backend and a data plane in front of it.
 * Usage: java -cp ... dev.ringway.io.BenchMain TRANSPORT EVENT_LOOPS PROXY_PORT; then point wrk
 * at the printed ports (backend direct vs through the proxy).
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        String transport = args.length > 0 ? args[0] : "auto";
        int loops = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 18080;
        TestBackend backend = new TestBackend("bench");
        Snap snap = Snap.create();
        Backend b = snap.backend("bench/backend:80", backend.port);
        snap.http(port).rule().prefix("/").to(b);
        NettyDataPlane dp = NettyDataPlane.create(DataPlaneOptions.defaults().withTransport(transport).withEventLoops(loops));
        dp.apply(snap.build()).toCompletableFuture().get();
        System.out.println("backend=" + backend.port + " proxy=" + port + " transport=" + dp.transport());
        Thread.sleep(Long.MAX_VALUE);
    }
}
