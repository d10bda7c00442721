package dev.ringway.core.route;

import java.util.HashSet;
import java.util.Set;

/**
 * Recognises regular expressions that are only an alternation of literal strings, such as
 * {@code ^(premium|enterprise)$} or {@code GET|HEAD}, so that a full match can be a hash-set lookup
 * instead of running the regex engine. Anything with another metacharacter is left to RE2/J.
 */
final class LiteralAlternation {
    private LiteralAlternation() {
    }

    private static final String META = "\\.^$|?*+()[]{}";

    /** The literal alternatives a full match of {@code re} accepts, or null when it is not that simple. */
    static Set<String> of(String re) {
        String s = re;
        if (s.startsWith("^")) {
            s = s.substring(1);
        }
        if (s.endsWith("$") && !s.endsWith("\\$")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.startsWith("(?:") && s.endsWith(")")) {
            s = s.substring(3, s.length() - 1);
        } else if (s.startsWith("(") && s.endsWith(")")) {
            s = s.substring(1, s.length() - 1);
        }
        Set<String> out = new HashSet<>();
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '|') {
                out.add(s.substring(start, i));
                start = i + 1;
            } else if (META.indexOf(s.charAt(i)) >= 0) {
                return null;
            }
        }
        return out;
    }
}
