package dev.ringway.io.echo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What the echo logic wants done with a request; the protocol handlers carry it out. */
sealed interface Reply {

    /**
     * An HTTP response. Header names keep the casing given (HTTP/2 lower-cases them); values are wire strings.
     */
    record Respond(int status, List<Map.Entry<String, String>> headers, byte[] body) implements Reply {}

    /** Carry out {@code then} after {@code delay}, without holding the event loop. */
    record Delayed(Duration delay, Reply then) implements Reply {}

    /** Reset the TCP connection without answering (retry simulation, ECHO.md section 3). */
    record Reset() implements Reply {}

    /** Upgrade to a WebSocket that echoes every frame (ECHO.md section 3, {@code /ws}). */
    record WebSocket() implements Reply {}
}
