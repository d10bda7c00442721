package dev.ringway.conformance.pods;

import java.util.List;

/** A running stand-in for one Pod. */
public interface EchoPod extends AutoCloseable {
    PodSpec spec();

    /** True when the pod answers on all its ports (upstream: the Pod is Ready). */
    boolean ready();

    /**
     * The request targets (path plus query) of every HTTP request this pod echoed, in order: the equivalent of the
     * "Echoing back request made to ..." log lines (ECHO.md 3). Empty for other kinds.
     */
    List<String> requestLog();

    @Override
    void close();
}
