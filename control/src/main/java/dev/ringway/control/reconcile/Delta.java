package dev.ringway.control.reconcile;

import dev.ringway.control.source.SourceEvent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Source events merged while the reconciler was busy: the last event per origin (events replace
 * their origin's content, so nothing is lost), in the order origins were last touched, and the
 * sync markers. Its size is bounded by the number of origins, not by the number of events.
 * Mutable; owned by one stream stage at a time.
 */
public final class Delta {
    private final LinkedHashMap<String, SourceEvent> byOrigin = new LinkedHashMap<>();
    private final List<SourceEvent.Synced> synced = new ArrayList<>();
    private long events;

    public static Delta of(Collection<SourceEvent> events) {
        Delta d = new Delta();
        return d.addAll(events);
    }

    public Delta addAll(Collection<SourceEvent> in) {
        for (SourceEvent e : in) {
            add(e);
        }
        return this;
    }

    public Delta add(SourceEvent e) {
        events++;
        switch (e) {
            case SourceEvent.Upsert u -> {
                touch(u.source() + "\u0000" + u.origin(), u);
                amendSync(u.source(), u.origin(), true);
            }
            case SourceEvent.Removed r -> {
                touch(r.source() + "\u0000" + r.origin(), r);
                amendSync(r.source(), r.origin(), false);
            }
            case SourceEvent.Synced s -> {
                // a sync lists the source's complete set: it is applied after the events before it
                synced.removeIf(x -> x.source().equals(s.source()));
                synced.add(s);
            }
        }
        return this;
    }

    /** Sync markers are applied last: keep an earlier marker's set true to events that came after it. */
    private void amendSync(String source, String origin, boolean present) {
        for (int i = 0; i < synced.size(); i++) {
            SourceEvent.Synced x = synced.get(i);
            if (x.source().equals(source) && x.origins().contains(origin) != present) {
                java.util.Set<String> set = new java.util.HashSet<>(x.origins());
                if (present) {
                    set.add(origin);
                } else {
                    set.remove(origin);
                }
                synced.set(i, new SourceEvent.Synced(source, set));
            }
        }
    }

    private void touch(String key, SourceEvent e) {
        byOrigin.remove(key);
        byOrigin.put(key, e);
    }

    /** Origin events, oldest first; then sync markers. */
    public List<SourceEvent> events() {
        List<SourceEvent> out = new ArrayList<>(byOrigin.values());
        out.addAll(synced);
        return out;
    }

    /** Distinct entries held (origins plus sync markers). */
    public int size() {
        return byOrigin.size() + synced.size();
    }

    /** Raw events merged into this delta. */
    public long eventCount() {
        return events;
    }

    @Override
    public String toString() {
        return "Delta[" + size() + " entries from " + events + " events]";
    }

    Map<String, SourceEvent> byOrigin() {
        return byOrigin;
    }
}
