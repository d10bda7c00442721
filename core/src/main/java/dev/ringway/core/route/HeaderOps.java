package dev.ringway.core.route;

import java.util.List;
import java.util.Locale;

/**
 * Compiled header modifications (HTTPHeaderFilter): {@code set} replaces, {@code add} appends,
 * {@code remove} deletes; names compare case-insensitively, so they are kept lower-cased next to
 * the name as written (which is what goes on the wire for set and add).
 */
public record HeaderOps(List<Header> set, List<Header> add, List<String> removeLower) {
    public HeaderOps {
        set = List.copyOf(set);
        add = List.copyOf(add);
        removeLower = List.copyOf(removeLower);
    }

    public record Header(String name, String lowerName, String value) {
        public static Header of(String name, String value) {
            return new Header(name, name.toLowerCase(Locale.ROOT), value);
        }
    }

    public boolean isEmpty() {
        return set.isEmpty() && add.isEmpty() && removeLower.isEmpty();
    }
}
