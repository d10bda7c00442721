package dev.ringway.control.reconcile;

import dev.ringway.control.ControlMetrics;
import dev.ringway.control.FakeDataPlane;
import dev.ringway.control.TestTranslator;
import dev.ringway.control.source.SourceEvent;
import dev.ringway.control.status.StatusStore;
import dev.ringway.control.status.StatusView;
import dev.ringway.core.model.Gateway;
import dev.ringway.core.model.Resource;
import dev.ringway.core.model.ResourceKey;
import dev.ringway.core.parse.ManifestParser;
import dev.ringway.core.parse.ParseResult;
import dev.ringway.core.route.BindAddress;
import dev.ringway.core.status.ObjectStatus;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ReconcilerTest {
    static final ActorTestKit kit = ActorTestKit.create(dev.ringway.control.PekkoConfig.config());
    static final ManifestParser parser = ManifestParser.create();

    final FakeDataPlane dataPlane = new FakeDataPlane();
    final TestTranslator translator = new TestTranslator();
    final ControlMetrics metrics = new ControlMetrics();
    ActorRef<StatusStore.Command> store;
    Intake intake;

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    @AfterEach
    void closeIntake() {
        if (intake != null) {
            intake.close();
        }
    }

    void start(Intake.Settings settings) {
        store = kit.spawn(StatusStore.create(Clock.systemUTC()));
        ActorRef<Publisher.Command> publisher = kit.spawn(Publisher.create(dataPlane, translator, store, metrics));
        ActorRef<Reconciler.Command> reconciler = kit.spawn(Reconciler.create(
                new Reconciler.Settings(Set.of("file"), Duration.ofMillis(100), Duration.ofSeconds(1)),
                translator, publisher, store, metrics, Clock.systemUTC()));
        intake = Intake.start(kit.system(), settings, metrics, delta ->
                AskPattern.<Reconciler.Command, Done>ask(reconciler, r -> new Reconciler.Reconcile(delta, r),
                        Duration.ofSeconds(30), kit.system().scheduler()));
    }

    static String route(String name, String path) {
        return """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: %s}
                spec:
                  parentRefs: [{name: gw}]
                  rules: [{matches: [{path: {type: PathPrefix, value: %s}}]}]
                """.formatted(name, path);
    }

    static String gateway(int port) {
        return """
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: gw}
                spec:
                  gatewayClassName: ringway
                  listeners: [{name: http, port: %d, protocol: HTTP}]
                """.formatted(port);
    }

    static SourceEvent upsert(String origin, String yaml) {
        ParseResult r = parser.parse(origin, yaml);
        return new SourceEvent.Upsert("file", origin, r);
    }

    void offer(SourceEvent e) {
        while (!intake.offer(e)) {
            Thread.onSpinWait();
        }
    }

    StatusView view() {
        TestProbe<StatusView> probe = kit.createTestProbe();
        store.tell(new StatusStore.Get(probe.ref()));
        return probe.receiveMessage();
    }

    static String pathOf(Resource r) {
        return ((dev.ringway.core.model.HttpRoute) r).spec().rules().getFirst().matches().getFirst().path().value();
    }

    @Test
    void nothingIsTranslatedBeforeTheSourcesSynced() throws InterruptedException {
        start(Intake.Settings.defaults());
        offer(upsert("a.yaml", route("a", "/a")));
        Thread.sleep(300);
        assertThat(translator.calls).hasValue(0);
        assertThat(metrics.ready()).isFalse();
        offer(new SourceEvent.Synced("file", Set.of("a.yaml")));
        await().atMost(Duration.ofSeconds(3)).until(metrics::ready);
        assertThat(translator.calls).hasValue(1);
        assertThat(translator.inputs.getFirst()).extracting(Resource::name).containsExactly("a");
        assertThat(dataPlane.applied).hasSize(1);
        assertThat(dataPlane.applied.getFirst().version()).isEqualTo(1);
    }

    @Test
    void aBurstOfFiveThousandEventsBecomesAFewTranslations() {
        start(Intake.Settings.defaults());
        offer(new SourceEvent.Synced("file", Set.of()));
        await().until(metrics::ready);
        List<SourceEvent> burst = new java.util.ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            burst.add(upsert("f" + (i % 100) + ".yaml", route("r" + (i % 100), "/v" + i)));
        }
        int before = translator.calls.get();
        burst.forEach(this::offer);
        // the last event of every file wins
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<Resource> last = translator.inputs.getLast();
            return last.size() == 100 && last.stream().anyMatch(r -> pathOf(r).equals("/v4999"));
        });
        int translations = translator.calls.get() - before;
        assertThat(translations).as("translations for a burst of 5000 events").isBetween(1, 3);
        assertThat(metrics.maxDeltaSize()).as("a merged batch holds one entry per file").isLessThanOrEqualTo(101);
        assertThat(metrics.sourceEvents()).isEqualTo(5001);
    }

    @Test
    void aSlowTranslationBackpressuresWithoutUnboundedGrowth() throws InterruptedException {
        translator.delay = Duration.ofMillis(250);
        start(new Intake.Settings(256, Duration.ofMillis(50), Duration.ofMillis(300)));
        offer(new SourceEvent.Synced("file", Set.of()));
        await().until(metrics::ready);
        int before = translator.calls.get();
        AtomicInteger maxQueued = new AtomicInteger();
        long t0 = System.nanoTime();
        int refused = 0;
        // 5,000 events over about 1.5 s while each translation takes 250 ms
        for (int i = 0; i < 5000; i++) {
            SourceEvent e = upsert("f" + (i % 20) + ".yaml", route("r" + (i % 20), "/v" + i));
            while (!intake.offer(e)) {
                refused++;
                Thread.sleep(1);
            }
            maxQueued.accumulateAndGet(intake.queued(), Math::max);
            if (i % 10 == 0) {
                Thread.sleep(3);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<Resource> last = translator.inputs.getLast();
            return last.size() == 20 && last.stream().anyMatch(r -> pathOf(r).equals("/v4999"));
        });
        int translations = translator.calls.get() - before;
        assertThat(translations).as("translations during %.1f s of events", seconds)
                .isLessThanOrEqualTo((int) (seconds / 0.25) + 3);
        assertThat(maxQueued.get()).as("queue is bounded").isLessThanOrEqualTo(256);
        assertThat(metrics.maxDeltaSize()).as("merged batches are bounded by files, not events").isLessThanOrEqualTo(21);
        assertThat(refused).as("events are merged, not refused").isZero();
    }

    @Test
    void invalidTranslationKeepsTheLastGoodSnapshotAndTheErrorIsVisible() {
        start(Intake.Settings.defaults());
        offer(upsert("gw.yaml", gateway(18080)));
        offer(upsert("a.yaml", route("a", "/a")));
        offer(new SourceEvent.Synced("file", Set.of("gw.yaml", "a.yaml")));
        await().until(() -> dataPlane.applied.size() == 1);
        await().until(() -> view().report().entries().size() == 2);

        offer(upsert("a.yaml", route("invalid", "/x")));
        await().atMost(Duration.ofSeconds(3)).until(() -> !view().validationErrors().isEmpty());
        StatusView v = view();
        assertThat(v.validationErrors()).singleElement().asString().contains("HTTPRoute default/invalid");
        assertThat(dataPlane.applied).hasSize(1);
        assertThat(dataPlane.current().version()).isEqualTo(1);
        assertThat(v.report().entries()).containsKey(ResourceKey.of("HTTPRoute", "default", "a"));
        assertThat(metrics.configErrorCount()).isEqualTo(1);
        assertThat(metrics.invalidTranslations()).isEqualTo(1);

        offer(upsert("a.yaml", route("b", "/b")));
        await().atMost(Duration.ofSeconds(3)).until(() -> dataPlane.applied.size() == 2);
        await().until(() -> view().validationErrors().isEmpty());
        assertThat(view().report().entries()).containsKey(ResourceKey.of("HTTPRoute", "default", "b"));
        assertThat(metrics.configErrorCount()).isZero();
    }

    @Test
    void parseErrorsAreVisibleAndTheLastGoodObjectsStay() {
        start(Intake.Settings.defaults());
        offer(upsert("a.yaml", route("a", "/a")));
        offer(new SourceEvent.Synced("file", Set.of("a.yaml")));
        await().until(() -> dataPlane.applied.size() == 1);
        offer(upsert("a.yaml", "apiVersion: [oops\n"));
        await().atMost(Duration.ofSeconds(3)).until(() -> view().errorCount() == 1);
        assertThat(view().problems()).anySatisfy(p -> assertThat(p.source()).isEqualTo("a.yaml"));
        assertThat(translator.inputs.getLast()).extracting(Resource::name).containsExactly("a");
        assertThat(metrics.configErrorCount()).isEqualTo(1);
    }

    @Test
    void bindFailuresAreTranslatedAgainBeforeStatusesAreReleased() {
        BindAddress busy = new BindAddress("127.0.0.1", 18081, BindAddress.Transport.TCP);
        dataPlane.failing = Map.of(busy, "Address already in use");
        start(Intake.Settings.defaults());
        offer(upsert("gw.yaml", gateway(18081)));
        offer(new SourceEvent.Synced("file", Set.of("gw.yaml")));
        await().atMost(Duration.ofSeconds(3)).until(metrics::ready);
        assertThat(translator.feedbacks).hasSize(2);
        assertThat(translator.feedbacks.get(1).failures()).containsKey(busy);
        // same sockets: the second translation's snapshot is not applied again
        assertThat(dataPlane.applied).hasSize(1);
        await().until(() -> !view().report().entries().isEmpty());
        var gw = (ObjectStatus.GatewayStatus) view().report().get(ResourceKey.of("Gateway", "default", "gw"));
        assertThat(gw.listeners().getFirst().conditions().getFirst().reason()).isEqualTo("PortUnavailable");
        assertThat(metrics.lastPublished().bindFailures()).containsKey(busy);

        // the port frees up: the next translation uses the failure feedback, the apply succeeds, translate again
        dataPlane.failing = Map.of();
        offer(upsert("gw.yaml", gateway(18081).replace("name: http", "name: web")));
        await().atMost(Duration.ofSeconds(3)).until(() -> metrics.lastPublished().bindFailures().isEmpty());
        await().until(() -> {
            var g = (ObjectStatus.GatewayStatus) view().report().get(ResourceKey.of("Gateway", "default", "gw"));
            return g.listeners().getFirst().name().equals("web")
                    && g.listeners().getFirst().conditions().getFirst().isTrue();
        });
        assertThat(translator.feedbacks.getLast().failures()).isEmpty();
    }

    @Test
    void aFailingDataPlaneIsRetried() {
        dataPlane.failure = new IllegalStateException("event loop gone");
        start(Intake.Settings.defaults());
        offer(upsert("gw.yaml", gateway(18082)));
        offer(new SourceEvent.Synced("file", Set.of("gw.yaml")));
        await().atMost(Duration.ofSeconds(3)).until(() -> translator.calls.get() >= 2);
        assertThat(metrics.ready()).isFalse();
        dataPlane.failure = null;
        await().atMost(Duration.ofSeconds(5)).until(metrics::ready);
        assertThat(dataPlane.applied).isNotEmpty();
    }

    @Test
    void syncRemovesFilesThatVanishedWhileTheSourceWasDown() {
        start(Intake.Settings.defaults());
        offer(upsert("a.yaml", route("a", "/a")));
        offer(upsert("b.yaml", route("b", "/b")));
        offer(new SourceEvent.Synced("file", Set.of("a.yaml", "b.yaml")));
        await().until(() -> translator.inputs.size() == 1);
        // a restarted source re-reports what it has: b.yaml is gone
        offer(upsert("a.yaml", route("a", "/a")));
        offer(new SourceEvent.Synced("file", Set.of("a.yaml")));
        await().atMost(Duration.ofSeconds(3)).until(() -> translator.inputs.getLast().size() == 1);
        assertThat(translator.inputs.getLast()).extracting(Resource::name).containsExactly("a");
        assertThat(translator.inputs.getLast().getFirst().metadata().generation()).isEqualTo(1L);
        assertThat(Gateway.class).isNotNull();
    }
}
