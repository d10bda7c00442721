package dev.ringway.core.status;

import dev.ringway.core.model.ResourceKey;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The statuses one translation computed: for each object Ringway reports on, its status and the
 * generation and apiVersion it was computed from. Objects that belong to other controllers are absent.
 */
public record StatusReport(Map<ResourceKey, Entry> entries) {
    public StatusReport {
        entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    public record Entry(String apiVersion, long generation, ObjectStatus status) {
    }

    public static final StatusReport EMPTY = new StatusReport(Map.of());

    public ObjectStatus get(ResourceKey key) {
        Entry e = entries.get(key);
        return e == null ? null : e.status();
    }
}
