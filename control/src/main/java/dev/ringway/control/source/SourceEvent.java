package dev.ringway.control.source;

import dev.ringway.core.parse.ParseResult;

import java.util.Set;

/**
 * What a configuration source reports. Every event is a full replacement for its origin (a file),
 * so events for the same origin can be merged by keeping the last one.
 */
public sealed interface SourceEvent {

    /** The source that emitted the event ({@code file}; later {@code kubernetes}). */
    String source();

    /** Everything read from one origin (a file); replaces what was read from it before. */
    record Upsert(String source, String origin, ParseResult result) implements SourceEvent {
    }

    /** The origin is gone: its objects are removed. */
    record Removed(String source, String origin) implements SourceEvent {
    }

    /**
     * The source has reported everything it had at start (or after a restart): {@code origins} is
     * the complete set it holds now; any other origin it reported before is gone. Translation waits
     * until every source has synced once, so the first snapshot is never a partial one.
     */
    record Synced(String source, Set<String> origins) implements SourceEvent {
        public Synced {
            origins = Set.copyOf(origins);
        }
    }
}
