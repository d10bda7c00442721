package dev.ringway.io;

import dev.ringway.core.route.AppProtocol;
import dev.ringway.core.route.Backend;

/**
 * Manual check harness (not a test): a data plane on {@code PROXY_PORT} (cleartext, HTTP/1.1 and
 * h2c) routing everything to {@code 127.0.0.1:BACKEND_PORT} spoken as {@code h1} or {@code h2c}.
 * Usage: java -cp ... dev.ringway.io.ProxyMain PROXY_PORT BACKEND_PORT h1|h2c [EVENT_LOOPS]
 */
public final class ProxyMain {
    private ProxyMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int backendPort = Integer.parseInt(args[1]);
        AppProtocol proto = args[2].equals("h2c") ? AppProtocol.H2C : AppProtocol.HTTP1;
        int loops = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        Snap snap = Snap.create();
        Backend b = snap.backend("manual/backend:80", proto, null, backendPort);
        snap.http(port).rule().prefix("/").to(b);
        NettyDataPlane dp = NettyDataPlane.create(DataPlaneOptions.defaults().withEventLoops(loops));
        dp.apply(snap.build()).toCompletableFuture().get();
        System.out.println("proxy=" + port + " backend=" + backendPort + " " + proto + " transport=" + dp.transport());
        // Once a second: bytes allocated so far by the event loop threads (for allocation-per-request figures).
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        while (true) {
            Thread.sleep(1000);
            long total = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("ringway-io")) {
                    total += mx.getThreadAllocatedBytes(t.threadId());
                }
            }
            System.out.println("alloc " + total);
        }
    }
}
