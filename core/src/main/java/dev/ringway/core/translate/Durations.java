package dev.ringway.core.translate;

import java.time.Duration;

/**
 * Gateway API Duration (GEP-2257): {@code ^([0-9]{1,5}(h|m|s|ms)){1,4}$}, e.g. {@code 1h}, {@code 500ms},
 * {@code 1m30s}; zero means "no timeout" where the field says so.
 */
final class Durations {
    private Durations() {
    }

    /** Parses a Gateway API duration; throws IllegalArgumentException with a message when invalid. */
    static Duration parse(String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        Duration total = Duration.ZERO;
        int i = 0;
        int parts = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start || i - start > 5) {
                throw new IllegalArgumentException("invalid duration \"" + s + "\": expected 1-5 digits followed by h, m, s or ms");
            }
            long n = Long.parseLong(s.substring(start, i));
            Duration unit;
            if (s.startsWith("ms", i)) {
                unit = Duration.ofMillis(n);
                i += 2;
            } else if (i < s.length() && s.charAt(i) == 'h') {
                unit = Duration.ofHours(n);
                i++;
            } else if (i < s.length() && s.charAt(i) == 'm') {
                unit = Duration.ofMinutes(n);
                i++;
            } else if (i < s.length() && s.charAt(i) == 's') {
                unit = Duration.ofSeconds(n);
                i++;
            } else {
                throw new IllegalArgumentException("invalid duration \"" + s + "\": unit must be h, m, s or ms");
            }
            total = total.plus(unit);
            if (++parts > 4) {
                throw new IllegalArgumentException("invalid duration \"" + s + "\": at most 4 parts");
            }
        }
        return total;
    }
}
