package dev.ringway.io.echo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Text rules of Go's {@code net/http} that the echo output depends on. */
final class HttpText {
    private HttpText() {}

    /**
     * Go's {@code textproto.CanonicalMIMEHeaderKey}: the first letter and every letter after a hyphen upper case,
     * the rest lower case ({@code x-echo-set-header} becomes {@code X-Echo-Set-Header}). Names with a character
     * that is not a token character are returned unchanged.
     */
    static String canonicalHeaderName(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                return name;
            }
        }
        char[] chars = name.toCharArray();
        boolean upper = true;
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
            if (upper && c >= 'a' && c <= 'z') {
                c -= 'a' - 'A';
            } else if (!upper && c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            chars[i] = c;
            upper = c == '-';
        }
        return new String(chars);
    }

    /** RFC 9110 {@code tchar}: what a header name may consist of. */
    static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Netty hands header values and request targets over as one char per received byte; Go treats them as
     * UTF-8 and its JSON encoder replaces invalid sequences with U+FFFD. This does both.
     */
    static String wireToUtf8(CharSequence wire) {
        String s = wire.toString();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return s;
    }

    /**
     * The first value of {@code key} in a form-encoded wire string ({@code a=1&b=2}, one char per byte), decoded
     * like Go's {@code url.ParseQuery}: pairs whose key contains {@code ;} or that fail to decode are skipped.
     */
    static Optional<String> formValue(String form, String key) {
        int start = 0;
        while (start <= form.length()) {
            int end = form.indexOf('&', start);
            if (end < 0) {
                end = form.length();
            }
            String pair = form.substring(start, end);
            start = end + 1;
            if (pair.isEmpty() || pair.indexOf(';') >= 0) {
                continue;
            }
            int eq = pair.indexOf('=');
            String rawKey = eq < 0 ? pair : pair.substring(0, eq);
            String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
            Optional<String> decodedKey = queryUnescape(rawKey);
            if (decodedKey.isEmpty() || !decodedKey.get().equals(key)) {
                continue;
            }
            Optional<String> value = queryUnescape(rawValue);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    /** The query part of a request target (after the first {@code ?}), or empty. */
    static String rawQuery(String target) {
        int q = target.indexOf('?');
        return q < 0 ? "" : target.substring(q + 1);
    }

    /**
     * Go's {@code url.QueryUnescape} on a wire string (one char per byte): {@code +} is a space, {@code %XX} a
     * byte, the bytes are then read as UTF-8; empty on a bad escape.
     */
    static Optional<String> queryUnescape(String s) {
        return unescape(s, true);
    }

    /** Go's {@code url.PathUnescape}: like {@link #queryUnescape} but {@code +} stays. */
    static Optional<String> pathUnescape(String s) {
        return unescape(s, false);
    }

    private static Optional<String> unescape(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
            return Optional.of(wireToUtf8(s));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                bytes.write(c);
            }
        }
        return Optional.of(bytes.toString(StandardCharsets.UTF_8));
    }
}
