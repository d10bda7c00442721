package dev.ringway.conformance;

import dev.ringway.conformance.run.SharedData;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Locates /work/shared for tests; skips (or, with CI=true, fails) when it is missing. */
public final class TestData {
    private TestData() {}

    public static Path shared() {
        SharedData.Location loc = SharedData.locate();
        if (!loc.present()) {
            if (SharedData.ci()) {
                throw new AssertionError(loc.problem());
            }
            Assumptions.abort(loc.problem());
        }
        return loc.dir();
    }
}
