package dev.ringway.core.translate;

import dev.ringway.core.route.Snapshot;
import dev.ringway.core.status.StatusReport;

import java.util.List;

/**
 * The result of a translation: the data-plane snapshot, every object's status, and snapshot
 * validation errors (non-empty means the snapshot must not be published; keep the last good one).
 */
public record Translation(Snapshot snapshot, StatusReport statuses, List<String> validationErrors) {
    public Translation {
        validationErrors = List.copyOf(validationErrors);
    }

    public boolean valid() {
        return validationErrors.isEmpty();
    }
}
