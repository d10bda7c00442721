package dev.ringway.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Null-safe immutable copies for record compact constructors. */
public final class Lists {
    private Lists() {
    }

    /** An immutable copy; {@code null} becomes empty; null elements are kept out. */
    public static <T> List<T> copy(List<T> in) {
        if (in == null || in.isEmpty()) {
            return List.of();
        }
        List<T> out = new ArrayList<>(in.size());
        for (T t : in) {
            if (t != null) {
                out.add(t);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Like {@link #copy} but keeps {@code null} (an absent field) distinct from empty. */
    public static <T> List<T> copyOrNull(List<T> in) {
        return in == null ? null : copy(in);
    }

    public static <V> Map<String, V> copy(Map<String, V> in) {
        if (in == null || in.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new TreeMap<>(in));
    }

    public static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
