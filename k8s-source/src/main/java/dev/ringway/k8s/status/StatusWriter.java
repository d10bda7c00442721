package dev.ringway.k8s.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringway.control.status.StatusJson;
import dev.ringway.control.status.StatusView;
import dev.ringway.core.model.ResourceKey;
import dev.ringway.core.status.StatusReport;
import dev.ringway.k8s.ApiKind;
import dev.ringway.k8s.ApiKinds;
import dev.ringway.k8s.KubernetesMetrics;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Writes the statuses Ringway computes to the API server's {@code status} subresource, while this
 * replica is the leader ({@link Leadership}).
 *
 * <p>Subscribed to the status store, it keeps the status it wants for each object and what it last
 * confirmed stored; an object whose wanted status differs from the confirmed one is queued. Writes go
 * one at a time on a worker thread: read the object, merge ({@link StatusMerge}: only Ringway's entries
 * of shared statuses, stored transition times kept), skip when the result equals what is stored, else
 * a JSON merge patch of the status carrying the object's {@code resourceVersion}, so a concurrent change
 * fails with 409 Conflict and the read-merge-write is retried. Objects that stopped being reported
 * (a route detached from Ringway's Gateways) get Ringway's entries removed. Nothing loops: Ringway's
 * status writes do not come back as configuration changes (the source ignores status-only changes),
 * and an unchanged status is never written. Failed writes (API server unreachable) are retried with
 * backoff; every {@code resync} interval, and whenever leadership is gained, everything is checked again.
 */
public final class StatusWriter {
    private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int MAX_ATTEMPTS = 5;

    private StatusWriter() {
    }

    /**
     * @param controllerName Ringway's controllerName (whose entries of shared statuses are Ringway's)
     * @param resync         how often every object is checked again (repairs statuses changed by others)
     * @param retryMin       first delay after a failed write
     * @param retryMax       longest delay after failed writes
     */
    public record Settings(String controllerName, Duration resync, Duration retryMin, Duration retryMax) {
        public static Settings of(String controllerName) {
            return new Settings(controllerName, Duration.ofMinutes(5), Duration.ofMillis(500), Duration.ofSeconds(30));
        }
    }

    private sealed interface Command {
    }

    private record View(StatusView view) implements Command {
    }

    private record LeaderChanged(boolean leader) implements Command {
    }

    private record Written(ResourceKey key, ObjectNode wanted, Outcome outcome, String error) implements Command {
    }

    private enum Timer implements Command { RESYNC, RETRY }

    /** What a write did. */
    enum Outcome { WRITTEN, UNCHANGED, NOT_FOUND, NOT_OURS, FAILED }

    /**
     * The actor to subscribe to the status store: it forwards each view to the writer, a child actor
     * (whose failure fails this one, so the supervisor restarts both).
     */
    public static Behavior<StatusView> create(KubernetesClient client, Settings settings, Leadership leadership,
                                              KubernetesMetrics metrics) {
        return Behaviors.setup(ctx -> {
            ActorRef<Command> writer = ctx.spawn(writer(client, settings, leadership, metrics), "writer");
            ctx.watch(writer);
            return Behaviors.receive(StatusView.class)
                    .onMessage(StatusView.class, v -> {
                        writer.tell(new View(v));
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    private static Behavior<Command> writer(KubernetesClient client, Settings settings, Leadership leadership,
                                            KubernetesMetrics metrics) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            ExecutorService worker = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("status-writer").factory());
            ActorRef<Command> self = ctx.getSelf();
            Consumer<Boolean> listener = b -> self.tell(new LeaderChanged(b));
            leadership.listen(listener);
            leadership.start();
            State s = new State(ctx, timers, client, settings, metrics, worker, leadership.isLeader());
            timers.startTimerWithFixedDelay(Timer.RESYNC, settings.resync());
            return Behaviors.receive(Command.class)
                    .onMessage(View.class, v -> s.view(v.view()))
                    .onMessage(LeaderChanged.class, l -> s.leader(l.leader()))
                    .onMessage(Written.class, s::written)
                    .onMessageEquals(Timer.RESYNC, s::resync)
                    .onMessageEquals(Timer.RETRY, s::retry)
                    .onSignal(PostStop.class, sig -> {
                        leadership.unlisten(listener);
                        worker.shutdownNow();
                        return Behaviors.same();
                    })
                    .build();
        }));
    }

    private static final class State {
        private final ActorContext<Command> ctx;
        private final TimerScheduler<Command> timers;
        private final KubernetesClient client;
        private final Settings settings;
        private final KubernetesMetrics metrics;
        private final ExecutorService worker;
        private final Map<ResourceKey, ObjectNode> wanted = new HashMap<>();
        private final Map<ResourceKey, ObjectNode> confirmed = new HashMap<>();
        /** Objects whose Ringway entries must go (they are no longer reported), until done. */
        private final Set<ResourceKey> retired = new LinkedHashSet<>();
        private final Set<ResourceKey> queue = new LinkedHashSet<>();
        private final Set<ResourceKey> failed = new LinkedHashSet<>();
        private boolean leader;
        private ResourceKey inFlight;
        private Duration retryDelay;

        State(ActorContext<Command> ctx, TimerScheduler<Command> timers, KubernetesClient client, Settings settings,
              KubernetesMetrics metrics, ExecutorService worker, boolean leader) {
            this.ctx = ctx;
            this.timers = timers;
            this.client = client;
            this.settings = settings;
            this.metrics = metrics;
            this.worker = worker;
            this.leader = leader;
            this.retryDelay = settings.retryMin();
        }

        Behavior<Command> view(StatusView view) {
            Map<ResourceKey, ObjectNode> next = new HashMap<>();
            for (Map.Entry<ResourceKey, StatusReport.Entry> e : view.report().entries().entrySet()) {
                ResourceKey key = e.getKey();
                if (ApiKinds.byKind(key.kind()).filter(ApiKind::statusSubresource).isEmpty()) {
                    continue;
                }
                next.put(key, StatusJson.status(key, e.getValue().status(), view.transitionTimes()));
            }
            for (ResourceKey k : wanted.keySet()) {
                if (!next.containsKey(k) && StatusMerge.sharedField(k.kind()) != null) {
                    retired.add(k);
                    queue.add(k);
                }
            }
            for (Map.Entry<ResourceKey, ObjectNode> e : next.entrySet()) {
                retired.remove(e.getKey());
                if (!e.getValue().equals(confirmed.get(e.getKey()))) {
                    queue.add(e.getKey());
                }
            }
            wanted.clear();
            wanted.putAll(next);
            confirmed.keySet().retainAll(wanted.keySet());
            return pump();
        }

        Behavior<Command> leader(boolean isLeader) {
            leader = isLeader;
            if (isLeader) {
                // check everything: another replica (or someone else) may have written meanwhile
                confirmed.clear();
                queue.addAll(wanted.keySet());
                queue.addAll(retired);
            }
            return pump();
        }

        Behavior<Command> resync() {
            confirmed.clear();
            queue.addAll(wanted.keySet());
            queue.addAll(retired);
            return pump();
        }

        Behavior<Command> retry() {
            queue.addAll(failed);
            failed.clear();
            return pump();
        }

        Behavior<Command> written(Written w) {
            inFlight = null;
            switch (w.outcome()) {
                case WRITTEN, UNCHANGED, NOT_OURS -> {
                    if (w.wanted() == null) {
                        retired.remove(w.key());
                    } else {
                        confirmed.put(w.key(), w.wanted());
                    }
                    retryDelay = settings.retryMin();
                }
                case NOT_FOUND -> retired.remove(w.key()); // not (yet) in the API server: a later view retries
                case FAILED -> {
                    failed.add(w.key());
                    if (!timers.isTimerActive(Timer.RETRY)) {
                        ctx.getLog().warn("status of {} not written: {}; trying again in {} ms", describe(w.key()),
                                w.error(), retryDelay.toMillis());
                        timers.startSingleTimer(Timer.RETRY, retryDelay);
                        Duration d = retryDelay.multipliedBy(2);
                        retryDelay = d.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : d;
                    }
                }
            }
            return pump();
        }

        /** Starts the next write if this replica leads and none is running. */
        private Behavior<Command> pump() {
            if (!leader || inFlight != null || queue.isEmpty()) {
                return Behaviors.same();
            }
            var it = queue.iterator();
            ResourceKey key = it.next();
            it.remove();
            ObjectNode want = wanted.get(key);
            if (want == null && !retired.contains(key)) {
                return pump();
            }
            inFlight = key;
            ActorRef<Command> self = ctx.getSelf();
            ObjectNode snapshot = want == null ? null : want.deepCopy();
            CompletableFuture.supplyAsync(() -> write(key, snapshot), worker).whenComplete((o, t) -> {
                if (t != null) {
                    self.tell(new Written(key, snapshot, Outcome.FAILED, t.toString()));
                } else {
                    self.tell(o);
                }
            });
            return Behaviors.same();
        }

        /** Read, merge, compare, patch with the read resourceVersion; again on conflict. Runs on the worker. */
        private Written write(ResourceKey key, ObjectNode want) {
            ApiKind kind = ApiKinds.byKind(key.kind()).orElseThrow();
            Resource<GenericKubernetesResource> res = resource(kind, key);
            for (int attempt = 1; ; attempt++) {
                try {
                    GenericKubernetesResource obj = res.get();
                    if (obj == null) {
                        return new Written(key, want, Outcome.NOT_FOUND, null);
                    }
                    JsonNode tree = JSON.readTree(Serialization.asJson(obj));
                    if (kind.kind().equals("GatewayClass")
                            && !settings.controllerName().equals(tree.path("spec").path("controllerName").asText())) {
                        return new Written(key, want, Outcome.NOT_OURS, null);
                    }
                    JsonNode current = tree.get("status");
                    // through text, so numbers compare as the API server's JSON has them (1 read back is an int, not a long)
                    ObjectNode merged = (ObjectNode) JSON.readTree(JSON.writeValueAsString(
                            StatusMerge.merge(kind.kind(), current, want, settings.controllerName())));
                    if (Objects.equals(merged, current == null || current.isNull() ? JSON.createObjectNode() : current)) {
                        metrics.statusUnchanged();
                        return new Written(key, want, Outcome.UNCHANGED, null);
                    }
                    ObjectNode patch = JSON.createObjectNode();
                    patch.putObject("metadata").put("resourceVersion", tree.path("metadata").path("resourceVersion").asText());
                    patch.set("status", StatusMerge.mergePatch(current, merged));
                    res.status().patch(PatchContext.of(PatchType.JSON_MERGE), JSON.writeValueAsString(patch));
                    metrics.statusWritten();
                    log.debug("status of {} written", describe(key));
                    return new Written(key, want, Outcome.WRITTEN, null);
                } catch (KubernetesClientException e) {
                    if (e.getCode() == 409 && attempt < MAX_ATTEMPTS) {
                        metrics.statusConflict();
                        continue;
                    }
                    if (e.getCode() == 404) {
                        return new Written(key, want, Outcome.NOT_FOUND, null);
                    }
                    metrics.statusFailed();
                    return new Written(key, want, Outcome.FAILED, e.getCode() > 0 ? "HTTP " + e.getCode() + ": "
                            + e.getMessage() : String.valueOf(e.getMessage()));
                } catch (java.io.IOException | RuntimeException e) {
                    metrics.statusFailed();
                    return new Written(key, want, Outcome.FAILED, e.toString());
                }
            }
        }

        private Resource<GenericKubernetesResource> resource(ApiKind kind, ResourceKey key) {
            ResourceDefinitionContext rdc = new ResourceDefinitionContext.Builder().withGroup(kind.group())
                    .withVersion(kind.version()).withKind(kind.kind()).withPlural(kind.plural())
                    .withNamespaced(kind.namespaced()).build();
            var op = client.genericKubernetesResources(rdc);
            return kind.namespaced() ? op.inNamespace(key.namespace()).withName(key.name()) : op.withName(key.name());
        }
    }

    static String describe(ResourceKey k) {
        return k.kind() + " " + (k.namespace().isEmpty() ? "" : k.namespace() + "/") + k.name();
    }
}
