package dev.ringway.io.echo;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Transports the socket tests run on: every available one, or those named in the system property
 * {@code ringway.test.transports} (comma-separated: {@code io_uring,epoll,nio}).
 */
final class TestTransports {
    private TestTransports() {}

    static List<EchoTransport> transports() {
        String wanted = System.getProperty("ringway.test.transports", "").strip();
        if (wanted.isEmpty()) {
            return EchoTransport.available();
        }
        Set<String> names = Arrays.stream(wanted.split(","))
                .map(s -> s.strip().toUpperCase(Locale.ROOT))
                .collect(Collectors.toSet());
        return EchoTransport.available().stream().filter(t -> names.contains(t.name())).toList();
    }
}
