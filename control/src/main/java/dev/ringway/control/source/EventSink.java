package dev.ringway.control.source;

/** Where sources put their events: the reconciler's intake. Thread-safe. */
@FunctionalInterface
public interface EventSink {
    /**
     * Offers an event. Returns false when the intake is momentarily full: the source keeps the
     * event (merged with later ones for the same origin) and offers it again shortly.
     */
    boolean offer(SourceEvent event);
}
