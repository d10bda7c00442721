package dev.ringway.conformance.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A complete HTTP answer: status, header lines in order, body. */
public record HttpResult(int status, String protocol, List<HttpCall.Header> headers, byte[] body,
                         boolean clientCertRequested) {

    /** All values of a header (case-insensitive name), in order. */
    public List<String> values(String name) {
        List<String> out = new ArrayList<>();
        for (HttpCall.Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                out.add(h.value());
            }
        }
        return out;
    }

    /** The values joined with "," (SCHEMA 8.4), or null when absent. */
    public String joined(String name) {
        List<String> v = values(name);
        return v.isEmpty() ? null : String.join(",", v);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        String b = bodyText();
        return "HTTP " + status + " " + headers + (b.isEmpty() ? "" : " body " + (b.length() > 400 ? b.substring(0, 400) + "..." : b));
    }
}
