package dev.ringway.core.translate;

import dev.ringway.core.model.Resource;
import dev.ringway.core.route.Snapshot;
import dev.ringway.core.status.StatusReport;

import java.util.Collection;
import java.util.List;

/**
 * The pure function at the heart of Ringway: from every object read (Gateway API kinds plus
 * Namespaces, Services, EndpointSlices, Secrets, ConfigMaps) to the data-plane {@link Snapshot} and
 * the status of every object. Deterministic (same input, same output, whatever the input order);
 * never throws on user error: bad input becomes a status condition.
 */
public final class Translator {
    private final TranslatorOptions options;

    private Translator(TranslatorOptions options) {
        this.options = options;
    }

    public static Translator create(TranslatorOptions options) {
        return new Translator(options);
    }

    public TranslatorOptions options() {
        return options;
    }

    public Translation translate(Collection<? extends Resource> resources, BindFeedback feedback) {
        // Implemented in the following commits (phases: index, classes, gateways and listeners,
        // routes and attachment, backends, routing tables, statuses).
        return new Translation(Snapshot.EMPTY, StatusReport.EMPTY, List.of());
    }
}
