package dev.ringway.control.e2e;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Runs one example for a whole test class: started (in a fresh temporary directory) before the
 * class's tests and its own {@code @BeforeAll} methods, closed and deleted after them.
 * <pre>{@code @RegisterExtension
 * static final ExampleExtension example = ExampleExtension.of(dir -> ExampleGateway.of("filters/cors", dir));}</pre>
 */
final class ExampleExtension implements BeforeAllCallback, AfterAllCallback {
    private final Function<Path, ExampleGateway.Builder> builder;
    private Path dir;
    private ExampleGateway gw;

    private ExampleExtension(Function<Path, ExampleGateway.Builder> builder) {
        this.builder = builder;
    }

    /** {@code builder}: how to start the example, given its temporary directory. */
    static ExampleExtension of(Function<Path, ExampleGateway.Builder> builder) {
        return new ExampleExtension(builder);
    }

    /** The running example (after the class's set-up began). */
    ExampleGateway gw() {
        if (gw == null) {
            throw new IllegalStateException("the example is not running (register the extension on a static field)");
        }
        return gw;
    }

    /** The example's copy (where the gateway reads its manifests). */
    Path dir() {
        return dir;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("ringway-example-");
        gw = builder.apply(dir).start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (gw != null) {
                gw.close();
            }
        } finally {
            gw = null;
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
