package dev.ringway.core.translate;

import dev.ringway.core.route.Snapshot;
import dev.ringway.core.status.StatusReport;

import java.util.List;
import java.util.Map;

/**
 * The result of a translation: the data-plane snapshot, every object's status, the address given
 * to each Gateway ({@code namespace/name -> ip}, to feed back into the next translation), and
 * snapshot validation errors (non-empty means: do not publish, keep the last good snapshot).
 */
public record Translation(Snapshot snapshot, StatusReport statuses, Map<String, String> gatewayAddresses,
                          List<String> validationErrors) {
    public Translation {
        gatewayAddresses = Map.copyOf(gatewayAddresses);
        validationErrors = List.copyOf(validationErrors);
    }

    public boolean valid() {
        return validationErrors.isEmpty();
    }
}
