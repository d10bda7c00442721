package dev.ringway.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringway.core.translate.TranslatorOptions;
import dev.ringway.io.echo.HttpEchoServer;
import dev.ringway.k8s.sandbox.SandboxApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.ringway.k8s.Harness.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What happens around the API server: status writes settle (no loop), two replicas elect one status
 * writer and both serve, and the API server going away and coming back costs no request.
 */
class ResilienceTest {
    static final Duration RECOVERY = Duration.ofSeconds(90);
    static final Duration WAIT = Duration.ofSeconds(40);

    static String setup(int port, HttpEchoServer echo) {
        return """
                apiVersion: v1
                kind: Namespace
                metadata: {name: apps}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: GatewayClass
                metadata: {name: ringway}
                spec: {controllerName: %s}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: apps}
                spec:
                  gatewayClassName: ringway
                  listeners: [{name: http, protocol: HTTP, port: %d}]
                """.formatted(Harness.CONTROLLER, port) + route("web", "/") + "---\n"
                + Harness.backend("apps", "svc", 80, echo);
    }

    interface ServingScenario {
        void run(SandboxApiServer api, KubernetesClient c, Harness.Replica gw, int port) throws Exception;
    }

    /**
     * {@link #setup} with the route to svc (echo-a) and a second Service svc-b (echo-b) to switch to, one
     * replica; {@code scenario} runs once echo-a answers through it.
     */
    static void servingEchoA(ServingScenario scenario) throws Exception {
        try (SandboxApiServer api = SandboxApiServer.start(); KubernetesClient c = api.client();
             Harness.Echoes echoes = new Harness.Echoes()) {
            HttpEchoServer echoA = echoes.start("echo-a", "apps");
            HttpEchoServer echoB = echoes.start("echo-b", "apps");
            int port = Harness.freePort();
            Harness.apply(c, setup(port, echoA) + "---\n" + Harness.backend("apps", "svc-b", 80, echoB));
            try (Harness.Replica gw = Harness.gateway(api, "replica-1")) {
                await().atMost(WAIT).until(() -> Harness.get(port, "x", "/").pod().equals("echo-a"));
                scenario.run(api, c, gw, port);
            }
        }
    }

    /** Points the route at svc-b and waits until echo-b answers: the source's watches work again. */
    static void switchToEchoB(KubernetesClient c, int port) {
        Harness.apply(c, route("web", "/").replace("name: svc,", "name: svc-b,"));
        await().atMost(WAIT).until(() -> Harness.get(port, "x", "/").pod().equals("echo-b"));
    }

    static String route(String name, String prefix) {
        return """
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: %s, namespace: apps}
                spec:
                  parentRefs: [{name: gw}]
                  rules:
                  - matches: [{path: {type: PathPrefix, value: %s}}]
                    backendRefs: [{name: svc, port: 80}]
                """.formatted(name, prefix);
    }

    /** Waits until the sandbox has seen no status write for {@code quiet}; returns the count. */
    static long settle(SandboxApiServer api, Duration quiet) throws InterruptedException {
        long last = api.statusWrites();
        long since = System.nanoTime();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() - since < quiet.toNanos()) {
            assertThat(System.nanoTime()).as("status writes never settle").isLessThan(deadline);
            Thread.sleep(100);
            long now = api.statusWrites();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            }
        }
        return last;
    }

    @Test
    void nothingIsPublishedBeforeEveryInformerHasListed() throws Exception {
        try (SandboxApiServer api = SandboxApiServer.start(); KubernetesClient c = api.client();
             Harness.Echoes echoes = new Harness.Echoes()) {
            HttpEchoServer echo = echoes.start("echo-a", "apps");
            int port = Harness.freePort();
            StringBuilder routes = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                routes.append(route("r" + i, "/r" + i));
            }
            Harness.apply(c, setup(port, echo) + routes);
            try (Harness.Replica gw = Harness.gateway(api, "replica-1")) {
                // the first published snapshot (readiness) already has every route and backend
                for (int i = 0; i < 40; i++) {
                    assertThat(Harness.get(port, "x", "/r" + i).pod()).as("route r" + i).isEqualTo("echo-a");
                }
                assertThat(gw.source().origins()).hasSize(1 + 1 + 1 + 41 + 2);
            }
        }
    }

    @Test
    void statusWritesSettleAndDoNotLoop() throws Exception {
        try (SandboxApiServer api = SandboxApiServer.start(); KubernetesClient c = api.client();
             Harness.Echoes echoes = new Harness.Echoes()) {
            HttpEchoServer echo = echoes.start("echo-a", "apps");
            int port = Harness.freePort();
            String routes = "";
            for (int i = 0; i < 10; i++) {
                routes += route("r" + i, "/r" + i);
            }
            Harness.apply(c, setup(port, echo) + routes);
            try (Harness.Replica gw = Harness.gateway(api, "replica-1")) {
                await().atMost(WAIT).until(() -> Harness.get(port, "x", "/r9").pod().equals("echo-a"));
                await().atMost(WAIT).until(() -> Harness.ourParent(Harness.get(c, "HTTPRoute", "httproutes", "apps", "r9")) != null);
                long settled = settle(api, Duration.ofSeconds(2));
                // GatewayClass, Gateway, 11 routes: each written once (a second write for the Gateway whose attachedRoutes
                // grew while routes arrived is possible), never more
                assertThat(settled).isBetween(13L, 16L);
                System.out.println("status writes after start: " + settled);

                // quiet: nothing is written while nothing changes
                Thread.sleep(3000);
                assertThat(api.statusWrites()).isEqualTo(settled);

                // one route changes: its status is written again (generation 2), nothing else loops
                Harness.apply(c, route("r3", "/changed"));
                await().atMost(WAIT).until(() -> Harness.get(port, "x", "/changed").pod().equals("echo-a"));
                long after = settle(api, Duration.ofSeconds(2));
                System.out.println("status writes after one route change: " + (after - settled));
                assertThat(after - settled).isBetween(1L, 2L);
                Thread.sleep(3000);
                assertThat(api.statusWrites()).isEqualTo(after);
                assertThat(gw.source().metrics().statusConflicts()).isZero();

                // a restarted replica (fresh transition times) finds every status right and writes nothing
                gw.close();
                try (Harness.Replica again = Harness.gateway(api, "replica-2")) {
                    await().atMost(WAIT).until(() -> again.source().metrics().isLeader());
                    await().atMost(WAIT).until(() -> again.source().metrics().statusUnchangedCount() >= 13);
                    assertThat(api.statusWrites()).isEqualTo(after);
                }
            }
        }
    }

    @Test
    void twoReplicasServeAndElectOneStatusWriter() throws Exception {
        try (SandboxApiServer api = SandboxApiServer.start(); KubernetesClient c = api.client();
             Harness.Echoes echoes = new Harness.Echoes()) {
            HttpEchoServer echo = echoes.start("echo-a", "apps");
            int port = Harness.freePort();
            Harness.apply(c, setup(port, echo));
            // each replica binds the Gateway on its own loopback address (one machine, two "nodes")
            Harness.Replica a = Harness.gateway(Harness.settings(api, "replica-a"),
                    new TranslatorOptions.AddressPolicy.Pool("127.31.1.0/24"));
            Harness.Replica b = Harness.gateway(Harness.settings(api, "replica-b"),
                    new TranslatorOptions.AddressPolicy.Pool("127.31.2.0/24"));
            try {
                await().atMost(WAIT).until(() -> a.source().metrics().isLeader() ^ b.source().metrics().isLeader());
                Harness.Replica leader = a.source().metrics().isLeader() ? a : b;
                Harness.Replica follower = leader == a ? b : a;
                String leaderAddr = leader == a ? "127.31.1.1" : "127.31.2.1";
                String followerAddr = leader == a ? "127.31.2.1" : "127.31.1.1";
                // both serve traffic
                await().atMost(WAIT).until(() -> Harness.get(leaderAddr, port, "x", "/").pod().equals("echo-a")
                        && Harness.get(followerAddr, port, "x", "/").pod().equals("echo-a"));
                // only the leader writes: the Gateway's status carries the leader's address
                await().atMost(WAIT).untilAsserted(() -> {
                    JsonNode g = Harness.get(c, "Gateway", "gateways", "apps", "gw");
                    assertThat(condition(g.path("status").path("conditions"), "Programmed")).isEqualTo("True/Programmed");
                    assertThat(g.path("status").path("addresses").get(0).path("value").asText()).isEqualTo(leaderAddr);
                });
                settle(api, Duration.ofSeconds(2));
                assertThat(follower.source().metrics().statusWrites()).isZero();
                assertThat(leader.source().metrics().statusWrites()).isPositive();
                System.out.println("leader " + leader.source().settings().identity() + " wrote "
                        + leader.source().metrics().statusWrites() + ", follower wrote 0");

                // the leader goes away (releasing the Lease): the follower takes over and writes its own view
                long t0 = System.nanoTime();
                leader.close();
                await().atMost(WAIT).until(() -> follower.source().metrics().isLeader());
                System.out.println("follower took over after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                await().atMost(WAIT).untilAsserted(() -> assertThat(Harness.get(c, "Gateway", "gateways", "apps", "gw")
                        .path("status").path("addresses").get(0).path("value").asText()).isEqualTo(followerAddr));
                assertThat(Harness.get(followerAddr, port, "x", "/").pod()).isEqualTo("echo-a");
            } finally {
                a.close();
                b.close();
            }
        }
    }

    @Test
    void apiServerStopsAndComesBackWhileTrafficFlows() throws Exception {
        servingEchoA((api, c, gw, port) -> {
            AtomicBoolean run = new AtomicBoolean(true);
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            AtomicReference<String> firstFailure = new AtomicReference<>();
            Thread load = Thread.ofPlatform().name("load").start(() -> {
                long end = System.nanoTime() + Duration.ofSeconds(90).toNanos(); // bounded
                while (run.get() && System.nanoTime() < end) {
                    Harness.Reply r = Harness.get(port, "x", "/");
                    if (r.status() == 200) {
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, r.status() + " " + r.body());
                    }
                }
            });
            try {
                Thread.sleep(1000);
                api.stop();
                await().atMost(WAIT).until(() -> gw.source().metrics().configAgeSeconds() > 0);
                Thread.sleep(4000); // the source fails and backs off; the data plane keeps serving
                double age = gw.source().metrics().configAgeSeconds();
                assertThat(age).isGreaterThan(2);
                String metrics = metrics(gw);
                assertThat(metrics).contains("ringway_ready 1");
                assertThat(metrics).containsPattern("ringway_config_age_seconds [1-9]");
                api.restart();
                // RECOVERY, not WAIT: the source's restart backoff (up to 30 s, jittered) is added to the
                // reconnect, and the mock may stall for a while on the watches the cut closed
                await().atMost(RECOVERY).until(() -> gw.source().metrics().configAgeSeconds() == 0);
                System.out.println("API server down ~5 s: config age reached " + age + " s, source restarts "
                        + gw.source().metrics().restarts());
                // the watches are back: a change made now is served
                switchToEchoB(c, port);
                Thread.sleep(500);
            } finally {
                run.set(false);
                load.join();
            }
            System.out.println("requests during the API server outage and recovery: " + ok.get() + " ok, "
                    + failed.get() + " failed");
            assertThat(failed.get()).as("failed requests (first: %s)", firstFailure.get()).isZero();
            assertThat(ok.get()).isGreaterThan(100);
        });
    }

    @Test
    void goneWatchesAndThrottlingAreSurvived() throws Exception {
        servingEchoA((api, c, gw, port) -> {
            // every request is throttled (429) for a while: watches break, lists fail; the source backs off
            java.util.concurrent.atomic.AtomicInteger throttled = new java.util.concurrent.atomic.AtomicInteger();
            api.fault(r -> {
                if (r.getPath().contains("/leases")) {
                    return null;
                }
                throttled.incrementAndGet();
                return new io.fabric8.mockwebserver.http.MockResponse().setResponseCode(429)
                        .setHeader("Retry-After", "1").setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                                + "\"status\":\"Failure\",\"reason\":\"TooManyRequests\",\"code\":429}");
            });
            api.stop(); // cut the open watches, so they reconnect into the throttling
            api.restart();
            // the watches cannot be made again: the source is stale (fabric8 retries the watches; when
            // they give up, the source restarts with backoff and its lists are throttled too)
            await().atMost(WAIT).until(() -> throttled.get() > 5 && gw.source().metrics().configAgeSeconds() > 1);
            assertThat(Harness.get(port, "x", "/").pod()).isEqualTo("echo-a"); // still served
            api.fault(null);
            await().atMost(WAIT).until(() -> gw.source().metrics().configAgeSeconds() == 0);
            System.out.println("throttled requests: " + throttled.get() + ", source restarts: "
                    + gw.source().metrics().restarts());

            // a watch answered 410 Gone: the informer lists again and goes on
            AtomicBoolean once = new AtomicBoolean();
            api.fault(r -> r.getPath().contains("watch=true") && r.getPath().contains("/httproutes")
                    && once.compareAndSet(false, true)
                    ? new io.fabric8.mockwebserver.http.MockResponse().setResponseCode(410).setBody(
                    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Expired\","
                            + "\"code\":410}") : null);
            api.stop();
            api.restart();
            await().atMost(WAIT).until(once::get);
            Harness.apply(c, route("web", "/").replace("name: svc,", "name: svc-b,"));
            await().atMost(WAIT).until(() -> Harness.get(port, "x", "/").pod().equals("echo-b"));
            api.fault(null);
        });
    }

    @Test
    void aWatchThatNeverAnswersIsRestarted() throws Exception {
        servingEchoA((api, c, gw, port) -> {
            // after the next cut, the first HTTPRoute watch gets no answer at all (a stalled API server:
            // the connection is accepted, nothing comes back): the handshake times out (the client's
            // 10 s request timeout) and the watch is made again, so the source is not stale for long
            AtomicInteger hung = new AtomicInteger();
            api.stop();
            api.restart(line -> line.contains("/httproutes") && line.contains("watch=true")
                    && hung.getAndIncrement() == 0);
            await().atMost(WAIT).until(() -> hung.get() > 0);
            assertThat(Harness.get(port, "x", "/").pod()).isEqualTo("echo-a"); // still served meanwhile
            long t0 = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(() -> gw.source().metrics().configAgeSeconds() == 0);
            System.out.println("current again " + (System.nanoTime() - t0) / 1_000_000 + " ms after the hang");
            assertThat(hung.get()).isGreaterThan(1); // the watch was made again
            switchToEchoB(c, port);
            System.out.println("hung HTTPRoute requests: " + hung.get() + ", source restarts: "
                    + gw.source().metrics().restarts());
        });
    }

    static String metrics(Harness.Replica gw) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                + gw.adminAddress().getPort() + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
