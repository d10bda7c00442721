package dev.ringway.io.echo;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as the echo logic sees it, whatever the protocol. Strings marked "wire" hold one char per
 * received byte (as Netty decodes them); {@link HttpText#wireToUtf8} turns them into text.
 *
 * @param method        request method
 * @param target        request target as received (wire): path plus {@code ?query}; HTTP/2 {@code :path}
 * @param host          Host header or {@code :authority} (wire), empty when absent
 * @param proto         {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2.0}
 * @param headers       header fields in received order (wire names and values); no pseudo-headers, no Host,
 *                      no Transfer-Encoding (Go keeps neither in {@code Request.Header})
 * @param remoteAddress client address as Go prints {@code RemoteAddr}
 * @param tls           TLS facts when the request came over TLS
 * @param formBody      the body (wire) when it is an urlencoded form Go would parse, else empty
 */
record EchoRequest(
        String method,
        String target,
        String host,
        String proto,
        List<Map.Entry<String, String>> headers,
        String remoteAddress,
        Optional<TlsInfo> tls,
        Optional<String> formBody) {

    /** Go parses the body into {@code Request.Form} only for these methods and this media type. */
    static boolean hasFormBody(String method, String contentType) {
        if (!(method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) || contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return mediaType.equalsIgnoreCase("application/x-www-form-urlencoded");
    }

    /** All values of a header, matched case-insensitively, in received order. */
    List<String> headerValues(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }
}
