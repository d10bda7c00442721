package dev.ringway.core.route;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Query-string access without building a map: the first value of a parameter, percent-decoded. */
public final class QueryParams {
    private QueryParams() {
    }

    /**
     * The first value of {@code name} in a raw query string ({@code a=1&b=2}), percent-decoded
     * ({@code +} as space), or null. A parameter without {@code =} has the empty value. Names
     * compare exactly (case-sensitive) after decoding, as HTTPQueryParamMatch requires.
     */
    public static String first(String query, String name) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        int n = query.length();
        int start = 0;
        while (start <= n) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? n : amp;
            int eq = query.indexOf('=', start);
            int nameEnd = eq >= 0 && eq < end ? eq : end;
            if (nameMatches(query, start, nameEnd, name)) {
                return nameEnd == end ? "" : decode(query, nameEnd + 1, end);
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        return null;
    }

    private static boolean nameMatches(String q, int from, int to, String name) {
        boolean plain = true;
        for (int i = from; i < to; i++) {
            char c = q.charAt(i);
            if (c == '%' || c == '+') {
                plain = false;
                break;
            }
        }
        if (plain) {
            return to - from == name.length() && q.regionMatches(from, name, 0, name.length());
        }
        return name.equals(decode(q, from, to));
    }

    private static String decode(String q, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = q.charAt(i);
            if (c == '%' || c == '+') {
                try {
                    return URLDecoder.decode(q.substring(from, to), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return q.substring(from, to); // malformed escape: compare the raw text
                }
            }
        }
        return q.substring(from, to);
    }
}
