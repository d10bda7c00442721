package dev.ringway.k8s.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringway.control.source.EventSink;
import dev.ringway.control.source.SourceEvent;
import dev.ringway.core.parse.ManifestParser;
import dev.ringway.k8s.ApiKind;
import dev.ringway.k8s.ApiKinds;
import dev.ringway.k8s.KubernetesMetrics;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Kubernetes configuration source: one actor holding a fabric8 informer per watched kind (per
 * watched namespace with {@code --namespace}), plus one per referenced Secret or ConfigMap. Every object
 * is one origin ({@code Kind/namespace/name}) reported as a {@link SourceEvent.Upsert} of what
 * {@link ManifestParser} reads from it, or {@link SourceEvent.Removed} when deleted; nothing is
 * reported as synced until every informer has listed its objects (then {@link SourceEvent.Synced} lists
 * every origin). Changes to {@code status}, {@code resourceVersion} or {@code managedFields} alone are
 * not reported: Ringway's own status writes do not come back as configuration changes.
 *
 * <p>Failures: a list or watch that fails once the client's own reconnect attempts are used up (API
 * server gone, an error status, throttling that outlasts the client's retries) fails this actor; its
 * supervisor restarts it with jittered exponential backoff, which lists everything again and reports
 * {@code Synced} again (objects deleted meanwhile are then removed). A {@code 410 Gone} on a watch is
 * handled inside fabric8's reflector by listing again. Meanwhile the data plane serves the last
 * published snapshot and {@code ringway_config_age_seconds} grows. What was reported last per object
 * and the events not yet accepted by the intake live in a {@link Book} that outlives restarts, so a
 * restart re-reports only what changed.
 */
public final class KubernetesSource {
    private static final Logger log = LoggerFactory.getLogger(KubernetesSource.class);

    public static final String SOURCE = "kubernetes";

    private KubernetesSource() {
    }

    public sealed interface Command {
    }

    private enum Tick implements Command { INSTANCE }

    private record Failed(String what, Throwable cause) implements Command {
    }

    private record RefFailed(References.Ref ref, SharedIndexInformer<?> informer, Throwable cause) implements Command {
    }

    /**
     * @param namespaces namespaces to watch (empty: all)
     * @param tick       how often pending events are offered and sync and references are checked
     * @param refRetry   how long a reference whose watch failed (e.g. forbidden) waits before it is watched again
     */
    public record Settings(List<String> namespaces, Duration tick, Duration refRetry) {
        public Settings {
            namespaces = List.copyOf(namespaces);
        }

        public static Settings of(List<String> namespaces) {
            return new Settings(namespaces, Duration.ofMillis(50), Duration.ofSeconds(30));
        }
    }

    /** What outlives restarts of the actor. Thread-safe: informer callbacks and the actor share it. */
    public static final class Book {
        final Map<String, SourceEvent> pending = new ConcurrentHashMap<>();
        final Map<String, String> reported = new ConcurrentHashMap<>();
        final Map<String, JsonNode> refHolders = new ConcurrentHashMap<>();
        final AtomicBoolean refsDirty = new AtomicBoolean(true);
        final Set<String> warned = ConcurrentHashMap.newKeySet();
        volatile boolean everSynced;

        /** Origins reported and not removed. */
        public Set<String> origins() {
            return Set.copyOf(reported.keySet());
        }
    }

    private static final Set<String> REF_HOLDERS = Set.of("Gateway", "ListenerSet", "BackendTLSPolicy");

    public static Behavior<Command> create(KubernetesClient client, Settings settings, EventSink sink,
                                           KubernetesMetrics metrics, Book book) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            Instance s = new Instance(ctx, client, settings, sink, metrics, book);
            s.start();
            timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.tick());
            return Behaviors.receive(Command.class)
                    .onMessage(Tick.class, t -> {
                        s.tick();
                        return Behaviors.same();
                    })
                    .onMessage(RefFailed.class, f -> {
                        s.refFailed(f.ref(), f.informer(), f.cause());
                        return Behaviors.same();
                    })
                    .onMessage(Failed.class, f -> {
                        metrics.stale();
                        metrics.restarted();
                        throw new WatchFailedException(f.what() + ": " + describe(f.cause()), f.cause());
                    })
                    .onSignal(PreRestart.class, sig -> {
                        s.stop();
                        return Behaviors.same();
                    })
                    .onSignal(PostStop.class, sig -> {
                        s.stop();
                        return Behaviors.same();
                    })
                    .build();
        }));
    }

    /** A watch or list failed: the source restarts (with backoff) and lists everything again. */
    public static final class WatchFailedException extends RuntimeException {
        WatchFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static String describe(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c && (c.getMessage() == null || c instanceof java.util.concurrent.CompletionException)) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    private static final class Instance {
        private final ActorContext<Command> ctx;
        private final ActorRef<Command> self;
        private final KubernetesClient client;
        private final Settings settings;
        private final EventSink sink;
        private final KubernetesMetrics metrics;
        private final Book book;
        private final ManifestParser parser = ManifestParser.create();
        private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
        private final Map<SharedIndexInformer<?>, ApiKind> kinds = new HashMap<>();
        /** Informers whose start (initial list, then watch) has completed. */
        private final Set<SharedIndexInformer<?>> listed = ConcurrentHashMap.newKeySet();
        private final Map<References.Ref, SharedIndexInformer<?>> refInformers = new HashMap<>();
        private final Map<References.Ref, Instant> failedRefs = new HashMap<>();
        private final AtomicBoolean stopping = new AtomicBoolean();
        private boolean synced;
        private final Instant started;

        Instance(ActorContext<Command> ctx, KubernetesClient client, Settings settings, EventSink sink,
                 KubernetesMetrics metrics, Book book) {
            this.ctx = ctx;
            this.self = ctx.getSelf();
            this.client = client;
            this.settings = settings;
            this.sink = sink;
            this.metrics = metrics;
            this.book = book;
            this.started = metrics.clock().instant();
        }

        void start() {
            Set<String> served = servedGatewayKinds();
            int watched = 0;
            for (ApiKind k : ApiKinds.ALL) {
                if (k.referencedOnly()) {
                    continue;
                }
                if (k.gatewayApi() && !served.contains(k.plural())) {
                    if (book.warned.add(k.kind())) {
                        log.warn("the API server does not serve {} {}: they are not read (install the Gateway API "
                                + "standard-channel CRDs, v1.6)", k.apiVersion(), k.kind());
                    }
                    continue;
                }
                if (k.namespaced() && !settings.namespaces().isEmpty()) {
                    for (String ns : settings.namespaces()) {
                        watch(k, ns, null);
                    }
                } else {
                    watch(k, null, null);
                }
                watched++;
            }
            book.refsDirty.set(true);
            log.info("kubernetes source: watching {} kinds (and referenced Secrets and ConfigMaps){} on {}", watched,
                    settings.namespaces().isEmpty() ? "" : " in namespaces " + settings.namespaces(),
                    client.getMasterUrl());
        }

        /** Gateway API kinds (plurals) the API server serves as v1; fails when it cannot be asked. */
        private Set<String> servedGatewayKinds() {
            APIResourceList list;
            try {
                list = client.getApiResources(ApiKinds.GATEWAY_GROUP + "/v1");
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() == 404) {
                    list = null;
                } else {
                    throw new WatchFailedException("discovery of " + ApiKinds.GATEWAY_GROUP + ": " + describe(e), e);
                }
            }
            Set<String> out = new HashSet<>();
            if (list != null && list.getResources() != null) {
                for (APIResource r : list.getResources()) {
                    out.add(r.getName());
                }
            }
            return out;
        }

        private <T extends HasMetadata> SharedIndexInformer<T> watch(ApiKind kind, String namespace, References.Ref ref) {
            @SuppressWarnings("unchecked")
            Class<T> type = (Class<T>) kind.type();
            var op = client.resources(type);
            SharedIndexInformer<T> informer;
            if (ref != null) {
                informer = op.inNamespace(ref.namespace()).withName(ref.name()).runnableInformer(0);
            } else if (namespace != null) {
                informer = op.inNamespace(namespace).runnableInformer(0);
            } else {
                informer = op.inAnyNamespace().runnableInformer(0);
            }
            String what = kind.kind() + (ref != null ? " " + ref.namespace() + "/" + ref.name()
                    : namespace != null ? " in " + namespace : "");
            informer.addEventHandler(new ResourceEventHandler<T>() {
                @Override
                public void onAdd(T obj) {
                    changed(kind, obj);
                }

                @Override
                public void onUpdate(T oldObj, T newObj) {
                    changed(kind, newObj);
                }

                @Override
                public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                    deleted(ObjectConversion.origin(kind, obj));
                }
            });
            informer.exceptionHandler((isStarted, t) -> {
                if (!stopping.get()) {
                    self.tell(ref != null ? new RefFailed(ref, informer, t) : new Failed("watch of " + what, t));
                }
                return false; // no retry inside fabric8: the actor restarts with backoff
            });
            informer.start().whenComplete((v, t) -> {
                if (t == null) {
                    listed.add(informer);
                } else if (!stopping.get()) {
                    self.tell(ref != null ? new RefFailed(ref, informer, t) : new Failed("list of " + what, t));
                }
            });
            informer.stopped().whenComplete((v, t) -> {
                if (!stopping.get()) {
                    Throwable cause = t != null ? t : new IllegalStateException("informer stopped");
                    self.tell(ref != null ? new RefFailed(ref, informer, cause) : new Failed("watch of " + what, cause));
                }
            });
            if (ref != null) {
                refInformers.put(ref, informer);
            } else {
                informers.add(informer);
            }
            kinds.put(informer, kind);
            return informer;
        }

        private void changed(ApiKind kind, HasMetadata obj) {
            String origin = ObjectConversion.origin(kind, obj);
            ObjectNode tree = ObjectConversion.tree(kind, obj);
            String key = ObjectConversion.changeKey(tree);
            if (key.equals(book.reported.get(origin))) {
                return; // only status or bookkeeping changed
            }
            book.reported.put(origin, key);
            if (REF_HOLDERS.contains(kind.kind())) {
                book.refHolders.put(origin, tree);
                book.refsDirty.set(true);
            }
            book.pending.put(origin, new SourceEvent.Upsert(SOURCE, origin, ObjectConversion.parse(parser, origin, tree)));
            metrics.objectEvent();
            log.debug("changed: {}", origin);
        }

        private void deleted(String origin) {
            book.reported.remove(origin);
            if (book.refHolders.remove(origin) != null) {
                book.refsDirty.set(true);
            }
            book.pending.put(origin, new SourceEvent.Removed(SOURCE, origin));
            metrics.objectEvent();
        }

        void tick() {
            drain();
            boolean mainSynced = informers.stream().allMatch(listed::contains);
            if (mainSynced) {
                updateReferences();
            }
            if (!synced) {
                boolean refsSynced = refInformers.entrySet().stream()
                        .allMatch(e -> listed.contains(e.getValue()) || failedRefs.containsKey(e.getKey()));
                if (mainSynced && refsSynced) {
                    // the informers' handlers may still be delivering the listed objects: take them from the stores
                    Set<String> origins = new HashSet<>();
                    for (var e : kinds.entrySet()) {
                        for (Object o : e.getKey().getStore().list()) {
                            HasMetadata obj = (HasMetadata) o;
                            changed(e.getValue(), obj);
                            origins.add(ObjectConversion.origin(e.getValue(), obj));
                        }
                    }
                    drain();
                    if (!book.pending.isEmpty()) {
                        return; // the intake is full: offer the rest first
                    }
                    if (sink.offer(new SourceEvent.Synced(SOURCE, origins))) {
                        synced = true;
                        metrics.synced();
                        metrics.current();
                        log.info("kubernetes source {}: {} objects ({} ms)", book.everSynced ? "listed again" : "synced",
                                origins.size(), java.time.Duration.between(started, metrics.clock().instant()).toMillis());
                        book.everSynced = true;
                    }
                }
                return;
            }
            boolean watching = informers.stream().allMatch(SharedIndexInformer::isWatching);
            if (watching) {
                metrics.current();
            } else {
                metrics.stale();
            }
        }

        /** Offers pending events to the intake; what it does not take now stays for the next tick. */
        private void drain() {
            for (String origin : List.copyOf(book.pending.keySet())) {
                SourceEvent e = book.pending.remove(origin);
                if (e == null) {
                    continue;
                }
                if (!sink.offer(e)) {
                    book.pending.putIfAbsent(origin, e); // a newer event for the origin wins
                    return;
                }
            }
        }

        /** Watches the Secrets and ConfigMaps referenced now; stops watching the others. */
        private void updateReferences() {
            Instant now = metrics.clock().instant();
            boolean retryDue = failedRefs.values().stream().anyMatch(t -> t.plus(settings.refRetry()).isBefore(now));
            if (!book.refsDirty.getAndSet(false) && !retryDue) {
                return;
            }
            failedRefs.values().removeIf(t -> t.plus(settings.refRetry()).isBefore(now));
            Set<References.Ref> wanted = new HashSet<>();
            for (JsonNode holder : book.refHolders.values()) {
                for (References.Ref r : References.of(holder)) {
                    if (settings.namespaces().isEmpty() || settings.namespaces().contains(r.namespace())) {
                        wanted.add(r);
                    }
                }
            }
            for (References.Ref r : List.copyOf(refInformers.keySet())) {
                if (!wanted.contains(r)) {
                    SharedIndexInformer<?> inf = refInformers.remove(r);
                    kinds.remove(inf);
                    failedRefs.remove(r);
                    stopQuietly(inf);
                    String origin = refOrigin(r);
                    if (book.reported.remove(origin) != null) {
                        book.pending.put(origin, new SourceEvent.Removed(SOURCE, origin));
                    }
                }
            }
            for (References.Ref r : wanted) {
                if (!refInformers.containsKey(r) && !failedRefs.containsKey(r)) {
                    ApiKind kind = r.kind().equals("Secret") ? ApiKinds.SECRET : ApiKinds.CONFIG_MAP;
                    watch(kind, r.namespace(), r);
                }
            }
        }

        private static String refOrigin(References.Ref r) {
            return ObjectConversion.origin(r.kind().equals("Secret") ? ApiKinds.SECRET : ApiKinds.CONFIG_MAP,
                    r.namespace(), r.name());
        }

        void refFailed(References.Ref ref, SharedIndexInformer<?> failed, Throwable cause) {
            SharedIndexInformer<?> inf = refInformers.get(ref);
            if (inf == null || inf != failed || failedRefs.containsKey(ref)) {
                return;
            }
            log.warn("cannot watch {} {}/{}: {} (trying again in {} s)", ref.kind(), ref.namespace(), ref.name(),
                    describe(cause), settings.refRetry().toSeconds());
            failedRefs.put(ref, metrics.clock().instant());
            refInformers.remove(ref);
            kinds.remove(inf);
            stopQuietly(inf);
        }

        private void stopQuietly(SharedIndexInformer<?> inf) {
            if (inf == null) {
                return;
            }
            try {
                inf.stop();
            } catch (RuntimeException e) {
                log.debug("stopping informer: {}", e.toString());
            }
        }

        void stop() {
            if (!stopping.compareAndSet(false, true)) {
                return;
            }
            informers.forEach(this::stopQuietly);
            refInformers.values().forEach(this::stopQuietly);
            informers.clear();
            refInformers.clear();
            kinds.clear();
        }
    }
}
