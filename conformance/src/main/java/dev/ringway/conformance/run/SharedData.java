package dev.ringway.conformance.run;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the shared conformance data lives: system property {@code ringway.shared}, else env {@code RINGWAY_SHARED},
 * else {@code ../shared} relative to the repository root.
 */
public final class SharedData {
    private SharedData() {}

    public record Location(Path dir, String problem) {
        public boolean present() {
            return problem == null;
        }

        public Path cases() {
            return dir.resolve("conformance/cases");
        }

        public Path gatewayApi() {
            return dir.resolve("gateway-api");
        }
    }

    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static Path repoRoot() {
        String root = System.getProperty("ringway.root");
        if (root != null && !root.isBlank()) {
            return Path.of(root).toAbsolutePath().normalize();
        }
        Path p = Path.of("").toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.isRegularFile(q.resolve("pom.xml")) && Files.isDirectory(q.resolve("conformance"))) {
                return q;
            }
        }
        return p;
    }

    public static Location locate() {
        String prop = System.getProperty("ringway.shared");
        String env = System.getenv("RINGWAY_SHARED");
        String how;
        Path dir;
        if (prop != null && !prop.isBlank()) {
            dir = Path.of(prop);
            how = "system property ringway.shared";
        } else if (env != null && !env.isBlank()) {
            dir = Path.of(env);
            how = "env RINGWAY_SHARED";
        } else {
            dir = repoRoot().resolve("../shared");
            how = "default ../shared beside the repository";
        }
        dir = dir.toAbsolutePath().normalize();
        Path cases = dir.resolve("conformance/cases");
        Path base = dir.resolve("gateway-api/base/manifests.yaml");
        if (!Files.isDirectory(cases) || !Files.isRegularFile(base)) {
            return new Location(dir, "conformance data not found at " + dir + " (" + how + "): need "
                    + "conformance/cases/ and gateway-api/base/manifests.yaml; set -Dringway.shared or RINGWAY_SHARED");
        }
        return new Location(dir, null);
    }
}
