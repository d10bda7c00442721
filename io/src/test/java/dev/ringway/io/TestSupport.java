package dev.ringway.io;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Transports to test on, free ports, and data plane creation. */
final class TestSupport {
    private TestSupport() {
    }

    /** Every transport available here (optionally narrowed with -Dringway.test.transports=a,b). */
    static Stream<String> transports() {
        List<String> avail = Transport.available();
        String only = System.getProperty("ringway.test.transports");
        if (only != null && !only.isBlank()) {
            List<String> want = Arrays.asList(only.split(","));
            return avail.stream().filter(want::contains);
        }
        return avail.stream();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    static NettyDataPlane dataPlane(String transport) {
        return NettyDataPlane.create(DataPlaneOptions.defaults().withTransport(transport).withEventLoops(2)
                .withDrain(Duration.ofSeconds(2)));
    }
}
