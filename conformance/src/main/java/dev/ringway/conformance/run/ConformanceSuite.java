package dev.ringway.conformance.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringway.conformance.cluster.Certificates;
import dev.ringway.conformance.model.CaseParser;
import dev.ringway.conformance.model.ConformanceCase;
import dev.ringway.conformance.pods.EchoBackends;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Runs the whole suite: parses every case file, skips cases whose features are not claimed, distributes the others
 * over shards (each with its own gateway process, config directory, address pool and echo pods) that run their
 * cases one at a time, and collects the results.
 */
public final class ConformanceSuite {
    private static final Logger LOG = Logger.getLogger(ConformanceSuite.class.getName());

    /** How a shard gets its gateway. */
    public interface GatewayLauncher {
        void start(Shard shard) throws Exception;

        /** {@code ringway run} as a subprocess (the gateway contract). */
        GatewayLauncher SUBPROCESS = Shard::startGateway;
    }

    public record Result(List<CaseResult> results, long wallMillis, int shards, Settings settings,
                         ClaimedFeatures claimed) {}

    private ConformanceSuite() {}

    public static List<ConformanceCase> loadCases(SharedData.Location data) throws Exception {
        return CaseParser.parseDirectory(data.cases());
    }

    public static Result run(Settings settings, SharedData.Location data, Path workDir, EchoBackends backends,
                             GatewayLauncher launcher, Consumer<CaseResult> listener) throws Exception {
        return run(settings, data, workDir, backends, launcher, listener, c -> true);
    }

    /** Runs the cases {@code selected} accepts (the others are left out of the result). */
    public static Result run(Settings settings, SharedData.Location data, Path workDir, EchoBackends backends,
                             GatewayLauncher launcher, Consumer<CaseResult> listener,
                             java.util.function.Predicate<ConformanceCase> selected) throws Exception {
        long start = System.nanoTime();
        ClaimedFeatures claimed = ClaimedFeatures.load();
        List<ConformanceCase> cases = loadCases(data).stream().filter(selected).toList();
        Map<String, CaseResult> results = Collections.synchronizedMap(new LinkedHashMap<>());
        ConcurrentLinkedQueue<ConformanceCase> queue = new ConcurrentLinkedQueue<>();
        for (ConformanceCase c : cases) {
            String skip = claimed.skipReason(c);
            if (skip != null) {
                CaseResult r = CaseResult.skipped(c, Outcome.SKIPPED, skip);
                results.put(c.name(), r);
                listener.accept(r);
            } else {
                queue.add(c);
            }
        }
        int shards = Math.max(1, Math.min(settings.shards(), queue.size()));
        if (!queue.isEmpty()) {
            List<JsonNode> certs = Certificates.generate();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < shards; i++) {
                int index = i;
                threads.add(Thread.ofPlatform().name("conformance-shard-" + i).start(() ->
                        runShard(index, settings, data, workDir, backends, launcher, certs, queue, results, listener)));
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        List<CaseResult> ordered = new ArrayList<>();
        for (ConformanceCase c : cases) {
            ordered.add(results.get(c.name()));
        }
        return new Result(ordered, (System.nanoTime() - start) / 1_000_000, shards, settings, claimed);
    }

    private static void runShard(int index, Settings settings, SharedData.Location data, Path workDir,
                                 EchoBackends backends, GatewayLauncher launcher, List<JsonNode> certs,
                                 ConcurrentLinkedQueue<ConformanceCase> queue, Map<String, CaseResult> results,
                                 Consumer<CaseResult> listener) {
        Shard shard = null;
        String setupError = null;
        try {
            shard = Shard.create(index, settings, data.gatewayApi(), workDir, backends,
                    Shard.Addresses.forShard(index), certs);
            launcher.start(shard);
            String notReady = new CaseRunner(shard).awaitBaseReady();
            if (notReady != null) {
                LOG.warning("shard " + index + ": base objects not ready: " + notReady);
            }
        } catch (Exception e) {
            setupError = "shard " + index + " setup failed: " + e.getMessage();
            LOG.severe(setupError);
        }
        try {
            ConformanceCase c;
            while ((c = queue.poll()) != null) {
                CaseResult r;
                if (setupError != null) {
                    r = new CaseResult(c, Outcome.FAILED, null, "setup", setupError, 0, index);
                } else if (shard.process() != null && !shard.process().alive()) {
                    r = new CaseResult(c, Outcome.FAILED, null, "setup", "the gateway process of shard " + index
                            + " has exited; log tail:\n" + shard.process().tail(20), 0, index);
                } else {
                    r = new CaseRunner(shard).run(c);
                }
                results.put(c.name(), r);
                listener.accept(r);
            }
        } finally {
            if (shard != null) {
                shard.close();
            }
        }
    }
}
