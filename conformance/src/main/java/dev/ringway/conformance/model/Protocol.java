package dev.ringway.conformance.model;

import java.util.Locale;

/** Request protocols of SCHEMA section 4. */
public enum Protocol {
    HTTP, HTTPS, H2, H2C, WEBSOCKET, GRPC, TCP, TLS, UDP;

    public static Protocol of(String s) {
        for (Protocol p : values()) {
            if (p.key().equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown protocol '" + s + "'");
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** http, https, h2, h2c. */
    public boolean httpFamily() {
        return this == HTTP || this == HTTPS || this == H2 || this == H2C;
    }

    public boolean tlsClient() {
        return this == HTTPS || this == H2 || this == TLS;
    }
}
