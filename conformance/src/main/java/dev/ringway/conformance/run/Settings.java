package dev.ringway.conformance.run;

import java.time.Duration;

/**
 * Knobs of a run. Time limits of SCHEMA 8.7 are multiplied by {@code timeScale} (never {@code sleep} steps or
 * delays the requests ask for); {@code retryPause} and {@code pollInterval} are the 1 s / 0.5 s of 8.7 (tests of
 * the runner shorten them).
 */
public record Settings(
        String controllerName,
        String gatewayClassName,
        double timeScale,
        Duration retryPause,
        Duration pollInterval,
        Duration requestTimeout,
        int shards,
        Duration gatewayStartTimeout) {

    public static final String DEFAULT_CONTROLLER = "ringway.dev/gateway-controller";
    public static final String DEFAULT_CLASS = "gateway-conformance";

    public static Settings defaults() {
        return new Settings(DEFAULT_CONTROLLER, DEFAULT_CLASS, 1.0, Duration.ofSeconds(1), Duration.ofMillis(500),
                Duration.ofSeconds(10), 2, Duration.ofSeconds(90));
    }

    /** Defaults overridden by system properties {@code ringway.conformance.*}. */
    public static Settings fromSystemProperties() {
        Settings d = defaults();
        return new Settings(
                System.getProperty("ringway.conformance.controllerName", d.controllerName()),
                System.getProperty("ringway.conformance.gatewayClassName", d.gatewayClassName()),
                Double.parseDouble(System.getProperty("ringway.conformance.timeScale", String.valueOf(d.timeScale()))),
                d.retryPause(), d.pollInterval(), d.requestTimeout(),
                Integer.parseInt(System.getProperty("ringway.conformance.shards", String.valueOf(d.shards()))),
                d.gatewayStartTimeout());
    }

    public Settings withTiming(double scale, Duration pause, Duration poll) {
        return new Settings(controllerName, gatewayClassName, scale, pause, poll, requestTimeout, shards,
                gatewayStartTimeout);
    }

    public Settings withShards(int n) {
        return new Settings(controllerName, gatewayClassName, timeScale, retryPause, pollInterval, requestTimeout, n,
                gatewayStartTimeout);
    }

    /** A time limit of 8.7, scaled. */
    public Duration limit(Duration d) {
        return Duration.ofMillis(Math.max(1, Math.round(d.toMillis() * timeScale)));
    }
}
