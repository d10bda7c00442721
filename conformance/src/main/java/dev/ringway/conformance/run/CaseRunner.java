package dev.ringway.conformance.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringway.conformance.check.Expectations;
import dev.ringway.conformance.check.StatusMatcher;
import dev.ringway.conformance.client.GrpcClient;
import dev.ringway.conformance.client.H2Connection;
import dev.ringway.conformance.client.Http1Client;
import dev.ringway.conformance.client.HttpCall;
import dev.ringway.conformance.client.HttpResult;
import dev.ringway.conformance.client.LineClient;
import dev.ringway.conformance.client.Loopback;
import dev.ringway.conformance.client.Pem;
import dev.ringway.conformance.client.TlsConfig;
import dev.ringway.conformance.client.TransportException;
import dev.ringway.conformance.client.UdpClient;
import dev.ringway.conformance.cluster.ObjectKey;
import dev.ringway.conformance.cluster.ValueFrom;
import dev.ringway.conformance.model.CaseParser;
import dev.ringway.conformance.model.ConformanceCase;
import dev.ringway.conformance.model.Expect;
import dev.ringway.conformance.model.Json;
import dev.ringway.conformance.model.PemRef;
import dev.ringway.conformance.model.Protocol;
import dev.ringway.conformance.model.Request;
import dev.ringway.conformance.model.StatusEntry;
import dev.ringway.conformance.model.Step;
import dev.ringway.conformance.pods.EchoKind;
import dev.ringway.conformance.pods.EchoPod;
import dev.ringway.conformance.pods.PodManager;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * Runs one case on a shard (SCHEMA sections 2-8): applies its manifests, executes its steps in order, then undoes
 * its changes. The first failing step ends the case.
 */
public final class CaseRunner {
    private static final Duration STATUS_LIMIT = Duration.ofSeconds(60);
    private static final Duration STATUS_LONG_LIMIT = Duration.ofSeconds(180);
    private static final Duration NAMESPACES_LIMIT = Duration.ofSeconds(300);
    private static final Duration REQUEST_LIMIT = Duration.ofSeconds(30);
    private static final Duration UDP_LIMIT = Duration.ofSeconds(60);
    private static final Duration MIRROR_LOG_LIMIT = Duration.ofSeconds(10);
    private static final Duration CLEANUP_LIMIT = Duration.ofSeconds(20);

    private final Shard shard;
    private final Settings settings;
    private CaseScope scope;
    private ConformanceCase current;

    /** A step that did not hold; the message says what was seen instead. */
    static final class StepFailure extends Exception {
        StepFailure(String message) {
            super(message, null, false, false);
        }
    }

    public CaseRunner(Shard shard) {
        this.shard = shard;
        this.settings = shard.settings();
    }

    private static void addDeploymentKinds(java.nio.file.Path file, Set<EchoKind> kinds) {
        if (!java.nio.file.Files.isRegularFile(file)) {
            return;
        }
        for (JsonNode d : Json.readYamlDocuments(file)) {
            if ("Deployment".equals(Json.text(d, "kind"))) {
                kinds.add(PodManager.kindOf(d));
            }
        }
    }

    private static EchoKind kindOf(Protocol p, Request r) {
        return switch (p) {
            case HTTP, HTTPS, H2, H2C, WEBSOCKET -> EchoKind.HTTP;
            case GRPC -> EchoKind.GRPC;
            case TCP, TLS -> EchoKind.TCP;
            case UDP -> r.dnsQuery() != null ? EchoKind.DNS : EchoKind.UDP;
        };
    }

    /** Echo kinds a case needs (requests' protocols and the Deployments of its own manifests / create steps). */
    public static Set<EchoKind> neededKinds(ConformanceCase c, java.nio.file.Path gatewayApi) {
        Set<EchoKind> kinds = EnumSet.noneOf(EchoKind.class);
        for (Step s : c.steps()) {
            switch (s) {
                case Step.Requests r -> r.cases().forEach(rc -> kinds.add(kindOf(r.protocol(), rc.request())));
                case Step.Weights w -> kinds.add(kindOf(w.protocol(), w.request()));
                case Step.MirrorPercentage m -> kinds.add(kindOf(m.protocol(), m.request()));
                case Step.Create cr -> {
                    if ("Deployment".equals(Json.text(cr.object(), "kind"))) {
                        kinds.add(PodManager.kindOf(cr.object()));
                    }
                }
                case Step.Apply a -> addDeploymentKinds(gatewayApi.resolve(a.manifest()), kinds);
                default -> { }
            }
        }
        for (String m : c.manifests()) {
            addDeploymentKinds(gatewayApi.resolve(m), kinds);
        }
        return kinds;
    }

    // ================================================================================================ the case

    /** Runs a case (its features are assumed claimed); never throws. */
    public CaseResult run(ConformanceCase raw) {
        long start = System.nanoTime();
        ConformanceCase c;
        try {
            c = CaseParser.resolve(raw, shard.addresses().inputs(), settings.controllerName(),
                    settings.gatewayClassName());
        } catch (RuntimeException e) {
            return new CaseResult(raw, Outcome.FAILED, null, null, "cannot resolve placeholders: " + e.getMessage(),
                    0, shard.index());
        }
        Set<EchoKind> missing = EnumSet.noneOf(EchoKind.class);
        missing.addAll(neededKinds(c, shard.gatewayApi()));
        missing.removeAll(shard.pods().backends().kinds());
        if (!missing.isEmpty()) {
            return new CaseResult(raw, Outcome.NOT_RUN, null, null, "needs echo backends not built yet: " + missing,
                    0, shard.index());
        }
        current = c;
        scope = new CaseScope(shard.cluster());
        Integer failedStep = null;
        String failedKey = null;
        String message = null;
        Outcome outcome;
        int i = -1;
        try {
            try {
                for (String m : c.manifests()) {
                    applyManifest(m);
                }
                shard.reconcile();
            } catch (Exception e) {
                throw new StepFailure("applying manifests " + c.manifests() + " failed: " + e.getMessage());
            }
            for (i = 0; i < c.steps().size(); i++) {
                execute(c.steps().get(i));
            }
            outcome = c.hasNote() ? Outcome.MANUAL : Outcome.PASSED;
            if (outcome == Outcome.MANUAL) {
                message = "contains a manual check (note)";
            }
        } catch (StepFailure f) {
            outcome = Outcome.FAILED;
            if (i >= 0 && i < c.steps().size()) {
                failedStep = i + 1;
                failedKey = c.steps().get(i).key();
            } else {
                failedKey = "manifests";
            }
            message = f.getMessage();
        } catch (Exception e) {
            outcome = Outcome.FAILED;
            failedStep = i >= 0 && i < c.steps().size() ? i + 1 : null;
            failedKey = i >= 0 && i < c.steps().size() ? c.steps().get(i).key() : "manifests";
            message = "runner error: " + TransportException.describe(e);
        } catch (Error e) {
            outcome = Outcome.FAILED;
            message = "runner error: " + e;
        } finally {
            String cleanup = cleanup();
            if (cleanup != null) {
                message = message == null ? cleanup : message + "; " + cleanup;
            }
        }
        return new CaseResult(raw, outcome, failedStep, failedKey, message, (System.nanoTime() - start) / 1_000_000,
                shard.index());
    }

    /** Undoes the case's changes and waits until deleted objects have left /status; returns a warning or null. */
    private String cleanup() {
        if (scope == null) {
            return null;
        }
        try {
            List<ObjectKey> deleted = scope.restore();
            shard.reconcile();
            long deadline = System.nanoTime() + settings.limit(CLEANUP_LIMIT).toNanos();
            while (!deleted.isEmpty()) {
                AdminClient.Snapshot snap = readStatus();
                List<ObjectKey> still = deleted.stream().filter(k -> snap != null && snap.items().containsKey(k)).toList();
                if (snap != null && still.isEmpty()) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    return "cleanup: /status still lists deleted " + still;
                }
                sleep(settings.pollInterval());
            }
            return null;
        } catch (Exception e) {
            return "cleanup failed: " + e;
        } finally {
            scope = null;
        }
    }

    private void applyManifest(String manifest) throws Exception {
        java.nio.file.Path file = shard.gatewayApi().resolve(manifest);
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new StepFailure("manifest " + manifest + " not found at " + file);
        }
        for (JsonNode o : shard.preparer().load(file)) {
            scope.put(o);
        }
    }

    private void execute(Step step) throws Exception {
        switch (step) {
            case Step.Status s -> awaitStatus(s.entries());
            case Step.Requests r -> requests(r);
            case Step.Weights w -> weights(w);
            case Step.MirrorPercentage m -> mirrorPercentage(m);
            case Step.NamespacesReady n -> namespacesReady(n.namespaces());
            case Step.Apply a -> {
                applyManifest(a.manifest());
                shard.reconcile();
            }
            case Step.Create cr -> {
                JsonNode obj = shard.preparer().prepare(ValueFrom.resolve(cr.object(), shard.cluster()));
                scope.put(obj);
                shard.reconcile();
            }
            case Step.Patch p -> {
                ObjectKey key = new ObjectKey(p.kind(), p.namespace(), p.name());
                if (!shard.cluster().exists(key)) {
                    throw new StepFailure("patch: " + key + " does not exist");
                }
                JsonNode mp = ValueFrom.resolve(p.mergePatch(), shard.cluster());
                scope.patch(key, mp);
                shard.reconcile();
            }
            case Step.Delete d -> {
                ObjectKey key = new ObjectKey(d.kind(), d.namespace(), d.name());
                if (!scope.delete(key)) {
                    throw new StepFailure("delete: " + key + " does not exist");
                }
                shard.reconcile();
            }
            case Step.Endpoints e -> endpoints(e);
            case Step.Sleep s -> sleep(s.duration());
            case Step.Note n -> { }
        }
    }

    // ================================================================================================ status

    private AdminClient.Snapshot readStatus() {
        try {
            return shard.admin().status();
        } catch (IOException e) {
            lastStatusError = e.getMessage();
            return null;
        }
    }

    private String lastStatusError;

    private static ObjectKey keyOf(StatusEntry e) {
        return new ObjectKey(e.kind(), e.namespace(), e.name());
    }

    /** Polls /status until every entry holds on one read (SCHEMA 3, 8.1-8.3, 8.7); returns that read. */
    AdminClient.Snapshot awaitStatus(List<StatusEntry> entries) throws StepFailure {
        boolean longLimit = entries.stream().anyMatch(StatusEntry::longLimit);
        Duration limit = settings.limit(longLimit ? STATUS_LONG_LIMIT : STATUS_LIMIT);
        long deadline = System.nanoTime() + limit.toNanos();
        Map<Integer, Long> emptySince = new HashMap<>();
        Set<Integer> decided = new java.util.HashSet<>();
        List<String> fails = List.of();
        while (true) {
            AdminClient.Snapshot snap = readStatus();
            if (snap == null) {
                fails = List.of("GET /status failed: " + lastStatusError);
            } else {
                fails = new ArrayList<>();
                for (int i = 0; i < entries.size(); i++) {
                    StatusEntry e = entries.get(i);
                    ObjectKey key = keyOf(e);
                    long gen = shard.cluster().generation(key);
                    JsonNode item = snap.get(key);
                    boolean atGen = item != null && item.path("metadata").path("generation").asLong(0) == gen;
                    if (atGen && item.path("status").path("parents").isEmpty()) {
                        emptySince.putIfAbsent(i, snap.readAtMillis());
                    } else {
                        emptySince.remove(i);
                    }
                    if (decided.contains(i)) {
                        continue;
                    }
                    StatusMatcher.Context ctx = new StatusMatcher.Context(gen, scope.generationBeforePatch(key),
                            snap.readAtMillis(), emptySince.get(i));
                    if (!e.eventually()) {
                        if (!atGen) {
                            fails.add(e.id() + ": " + (item == null ? "not listed in /status"
                                    : "waiting for generation " + gen));
                            continue;
                        }
                        String m = StatusMatcher.check(e, item, ctx);
                        if (m != null) {
                            throw new StepFailure(e.id() + " (eventually: false): " + m);
                        }
                        decided.add(i);
                        continue;
                    }
                    if (gen == 0) {
                        fails.add(e.id() + ": the runner never wrote this object");
                        continue;
                    }
                    String m = StatusMatcher.check(e, item, ctx);
                    if (m != null) {
                        fails.add(e.id() + ": " + m);
                    }
                }
                if (fails.isEmpty()) {
                    return snap;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new StepFailure(String.join("; ", fails) + " (still after " + limit.toSeconds() + " s)");
            }
            sleep(settings.pollInterval());
        }
    }

    /** The Gateway's address (first status.addresses entry with a type), waiting as hasAddress does. */
    InetAddress gatewayAddress(String nsName) throws StepFailure {
        String ns = nsName.substring(0, nsName.indexOf('/'));
        String name = nsName.substring(nsName.indexOf('/') + 1);
        StatusEntry e = new StatusEntry("Gateway", ns, name, true, null, false, false, true, null, null, false, false,
                null, null, false, null);
        AdminClient.Snapshot snap = awaitStatus(List.of(e));
        JsonNode item = snap.get(keyOf(e));
        for (JsonNode a : item.path("status").path("addresses")) {
            String type = Json.text(a, "type");
            if (type == null || type.isEmpty()) {
                continue;
            }
            String value = Json.text(a, "value");
            try {
                InetAddress addr = InetAddress.getByName(value);
                return Loopback.require(addr);
            } catch (IOException ex) {
                throw new StepFailure("Gateway " + nsName + " address " + value + ": " + ex.getMessage());
            }
        }
        throw new StepFailure("Gateway " + nsName + " has no address with a type");
    }

    // ================================================================================================ namespaces

    private void namespacesReady(List<String> namespaces) throws StepFailure {
        Duration limit = settings.limit(NAMESPACES_LIMIT);
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            String problem = namespacesProblem(namespaces);
            if (problem == null) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new StepFailure("namespaces not ready: " + problem + " (still after " + limit.toSeconds() + " s)");
            }
            sleep(settings.pollInterval());
        }
    }

    /**
     * 8.6. Pods of echo kinds that are not built are not checked (they do not exist); a namespace must have at least
     * one Deployment.
     */
    private String namespacesProblem(List<String> namespaces) {
        AdminClient.Snapshot snap = readStatus();
        if (snap == null) {
            return "GET /status failed: " + lastStatusError;
        }
        for (String ns : namespaces) {
            for (JsonNode gw : shard.cluster().list("Gateway", ns)) {
                if ("true".equals(Json.text(gw, "metadata", "annotations", "gateway-api/skip-this-for-readiness"))) {
                    continue;
                }
                ObjectKey key = ObjectKey.of(gw);
                long gen = shard.cluster().generation(key);
                StatusEntry e = new StatusEntry("Gateway", key.namespace(), key.name(), true,
                        List.of(new dev.ringway.conformance.model.Cond("Accepted", "True", null),
                                new dev.ringway.conformance.model.Cond("Programmed", "True", null)),
                        true, false, false, null, null, false, false, null, null, false, null);
                String m = StatusMatcher.check(e, snap.get(key), new StatusMatcher.Context(gen, null, 0, null));
                if (m != null) {
                    return "Gateway " + key.namespace() + "/" + key.name() + ": " + m;
                }
            }
            if (shard.pods().deploymentCount(ns) == 0) {
                return "namespace " + ns + " has no pods";
            }
            for (EchoPod p : shard.pods().pods(ns)) {
                if (!p.ready()) {
                    return "pod " + p.spec().namespace() + "/" + p.spec().name() + " does not answer on its ports";
                }
            }
        }
        return null;
    }

    /**
     * Suite setup (upstream waits for the base namespaces): the base Gateways accepted and programmed and the base
     * pods answering. Returns what is not ready after the namespaces limit, or null.
     */
    public String awaitBaseReady() {
        scope = new CaseScope(shard.cluster());
        try {
            namespacesReady(List.of("gateway-conformance-infra", "gateway-conformance-app-backend",
                    "gateway-conformance-web-backend").stream()
                    .filter(ns -> shard.cluster().exists(new ObjectKey("Namespace", null, ns))).toList());
            return null;
        } catch (StepFailure f) {
            return f.getMessage();
        } finally {
            scope = null;
        }
    }

    // ================================================================================================ endpoints

    private void endpoints(Step.Endpoints step) throws Exception {
        for (Step.EndpointsItem item : step.items()) {
            List<EchoPod> pods = shard.pods().pods(item.namespace(), item.target());
            if (pods.isEmpty()) {
                throw new StepFailure("endpoints: Deployment " + item.namespace() + "/" + item.target() + " has no pods");
            }
            for (String name : item.endpointSlices()) {
                ObjectKey key = new ObjectKey("EndpointSlice", item.namespace(), name);
                JsonNode slice = shard.cluster().get(key);
                if (slice == null) {
                    throw new StepFailure("endpoints: " + key + " does not exist");
                }
                JsonNode filled = dev.ringway.conformance.pods.EndpointSlices.fill(slice, pods);
                if (filled != null) {
                    scope.put(filled);
                }
            }
        }
    }

    // ================================================================================================ requests

    private void requests(Step.Requests step) throws StepFailure {
        InetAddress addr = gatewayAddress(step.gateway());
        for (int i = 0; i < step.cases().size(); i++) {
            Step.RequestCase rc = step.cases().get(i);
            try {
                requestCase(step.protocol(), addr, step.port(), rc);
            } catch (StepFailure f) {
                throw new StepFailure("case " + (i + 1) + " (" + summary(step.protocol(), rc.request()) + "): "
                        + f.getMessage());
            }
        }
    }

    private static String summary(Protocol p, Request r) {
        return switch (p) {
            case HTTP, HTTPS, H2, H2C -> p.key() + " " + (r.method() == null ? "GET" : r.method()) + " "
                    + (r.host() == null ? "" : r.host()) + (r.path() == null ? "/" : r.path());
            case WEBSOCKET -> "websocket " + r.path();
            case GRPC -> "grpc " + r.grpcService() + "/" + r.grpcMethod();
            case TCP, TLS -> p.key() + (r.sni() == null ? "" : " sni " + r.sni()) + " send " + r.send();
            case UDP -> "udp " + (r.dnsQuery() != null ? "dns " + r.dnsQuery().name() : "'" + r.payload() + "'");
        };
    }

    /** Outcome of one try. */
    record Try(boolean ok, boolean transport, String message) {
        static final Try OK = new Try(true, false, null);

        static Try fail(String m) {
            return new Try(false, false, m);
        }

        static Try transport(String m) {
            return new Try(false, true, m);
        }
    }

    @FunctionalInterface
    interface Attempt {
        Try run() throws StepFailure;
    }

    private void requestCase(Protocol protocol, InetAddress addr, int port, Step.RequestCase rc) throws StepFailure {
        String uuid = UUID.randomUUID().toString();
        Expect e = rc.expect();
        AtomicBoolean certRequested = new AtomicBoolean();
        String[] sentTarget = new String[1];
        GrpcSession grpc = protocol == Protocol.GRPC ? new GrpcSession(addr, port) : null;
        Attempt single = () -> {
            UnaryOperator<String> f = RuntimePlaceholders.of(uuid, UUID.randomUUID().toString());
            Request r = RuntimePlaceholders.apply(rc.request(), f);
            Expect x = RuntimePlaceholders.apply(e, f);
            sentTarget[0] = r.path() == null ? "/" : r.path();
            return once(protocol, addr, port, r, x, certRequested, grpc);
        };
        boolean udp = protocol == Protocol.UDP;
        Duration limit = settings.limit(rc.within() != null ? rc.within() : udp ? UDP_LIMIT : REQUEST_LIMIT);
        try {
            if (protocol.httpFamily() && e.httpFailure()) {
                expectFailure(protocol, addr, port, rc.request(), uuid, limit);
                return;
            }
            if (rc.repeat() > 1 || !rc.eventually()) {
                batch(single, rc.repeat(), rc.eventually(), limit);
            } else if (protocol.httpFamily() || protocol == Protocol.WEBSOCKET || protocol == Protocol.GRPC) {
                threeInARow(single, limit);
            } else if (protocol == Protocol.TCP && e.connected()) {
                firstSuccess(single, limit, Duration.ofMillis(100));
            } else if (protocol == Protocol.TLS && e.connectionRejected()) {
                firstSuccess(single, limit, settings.retryPause());
            } else if (udp) {
                firstSuccess(single, limit, settings.retryPause());
            } else {
                whileTransport(single, limit);
            }
        } finally {
            if (grpc != null) {
                grpc.close();
            }
        }
        if (e.clientCertRequested() && !certRequested.get()) {
            throw new StepFailure("the server never sent a TLS CertificateRequest");
        }
        if (e.mirroredTo() != null) {
            awaitMirrors(e.mirroredTo(), sentTarget[0]);
        }
    }

    /** The expectation must hold 3 times in a row; pause after a failed try (8.7). */
    private void threeInARow(Attempt a, Duration limit) throws StepFailure {
        long deadline = System.nanoTime() + limit.toNanos();
        int inARow = 0;
        String last = null;
        while (true) {
            Try t = a.run();
            if (t.ok()) {
                if (++inARow >= 3) {
                    return;
                }
                continue;
            }
            inARow = 0;
            last = t.message();
            if (System.nanoTime() + settings.retryPause().toNanos() > deadline) {
                throw new StepFailure(last + " (not 3 times in a row within " + limit.toSeconds() + " s)");
            }
            sleep(settings.retryPause());
        }
    }

    private void firstSuccess(Attempt a, Duration limit, Duration pause) throws StepFailure {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Try t = a.run();
            if (t.ok()) {
                return;
            }
            if (System.nanoTime() + pause.toNanos() > deadline) {
                throw new StepFailure(t.message() + " (within " + limit.toSeconds() + " s)");
            }
            sleep(pause);
        }
    }

    /** Retried only while the try fails at transport level; the first complete exchange decides. */
    private void whileTransport(Attempt a, Duration limit) throws StepFailure {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Try t = a.run();
            if (t.ok()) {
                return;
            }
            if (!t.transport()) {
                throw new StepFailure(t.message());
            }
            if (System.nanoTime() + settings.retryPause().toNanos() > deadline) {
                throw new StepFailure(t.message() + " (within " + limit.toSeconds() + " s)");
            }
            sleep(settings.retryPause());
        }
    }

    /** {@code repeat} and/or {@code eventually: false} (8.7). */
    private void batch(Attempt a, int n, boolean eventually, Duration limit) throws StepFailure {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Try failed = null;
            for (int i = 0; i < n; i++) {
                Try t = a.run();
                if (!t.ok()) {
                    failed = new Try(false, t.transport(), (n > 1 ? "request " + (i + 1) + " of " + n + ": " : "")
                            + t.message());
                    break;
                }
            }
            if (failed == null) {
                return;
            }
            if (!eventually || !failed.transport()) {
                throw new StepFailure(failed.message());
            }
            if (System.nanoTime() + settings.retryPause().toNanos() > deadline) {
                throw new StepFailure(failed.message() + " (within " + limit.toSeconds() + " s)");
            }
            sleep(settings.retryPause());
        }
    }

    /** upstream MakeRequestAndExpectFailure (4.2 httpFailure). */
    private void expectFailure(Protocol protocol, InetAddress addr, int port, Request request, String uuid,
                               Duration limit) throws StepFailure {
        long deadline = System.nanoTime() + limit.toNanos();
        int count = 0;
        String last = null;
        while (true) {
            Request r = RuntimePlaceholders.apply(request, RuntimePlaceholders.of(uuid, UUID.randomUUID().toString()));
            HttpResult res;
            try {
                res = http(protocol, addr, port, r, new AtomicBoolean());
            } catch (TransportException ex) {
                res = null;
                last = ex.getMessage();
            }
            if (res != null && res.status() == 200) {
                throw new StepFailure("expected a failure, got " + res.status() + " from "
                        + Json.text(Expectations.echo(res), "pod"));
            }
            if (res != null && res.status() != 408 && res.status() != 504) {
                if (++count >= 5) {
                    return;
                }
                continue;
            }
            count = 0;
            if (res != null) {
                last = "status " + res.status();
            }
            if (System.nanoTime() + settings.retryPause().toNanos() > deadline) {
                throw new StepFailure("expected 5 failures in a row (neither 200 nor 408/504), last " + last);
            }
            sleep(settings.retryPause());
        }
    }

    /** One try of a request case. */
    private Try once(Protocol protocol, InetAddress addr, int port, Request r, Expect e, AtomicBoolean certRequested,
                     GrpcSession grpc) throws StepFailure {
        switch (protocol) {
            case HTTP, HTTPS, H2, H2C -> {
                HttpResult res;
                try {
                    res = http(protocol, addr, port, r, certRequested);
                } catch (TransportException ex) {
                    return e.connectionError() ? Try.OK : Try.transport(ex.getMessage());
                }
                if (e.connectionError()) {
                    return Try.fail("expected a connection error, got HTTP " + res.status());
                }
                String target = r.path() == null ? "/" : r.path();
                String m = Expectations.http(e, r, target, res, baseUrl(protocol, addr, port), this::pem);
                return m == null ? Try.OK : Try.fail(m);
            }
            case WEBSOCKET -> {
                List<dev.ringway.conformance.client.WebSocketClient.Message> msgs = new ArrayList<>();
                e.messages().forEach(m -> msgs.add(new dev.ringway.conformance.client.WebSocketClient.Message(m.send(),
                        m.sendText())));
                try {
                    String host = r.host() != null ? r.host() : authority(addr, port, -1);
                    List<byte[]> got = dev.ringway.conformance.client.WebSocketClient.exchange(addr, port, host,
                            r.path() == null ? "/" : r.path(), r.origin(), msgs, settings.requestTimeout());
                    String m = Expectations.websocket(e, got);
                    return m == null ? Try.OK : Try.fail(m);
                } catch (TransportException ex) {
                    return Try.transport(ex.getMessage());
                }
            }
            case GRPC -> {
                try {
                    String host = r.host() != null ? r.host() : authority(addr, port, -1);
                    GrpcClient.Result res = GrpcClient.call(grpc.connection(), host, r.grpcService(), r.grpcMethod(),
                            r.metadata(), settings.requestTimeout());
                    if ("Internal".equals(res.code())) {
                        grpc.reset();
                    }
                    String m = Expectations.grpc(e, r, res);
                    return m == null ? Try.OK : Try.fail(m);
                } catch (TransportException ex) {
                    grpc.reset();
                    return Try.transport(ex.getMessage());
                }
            }
            case TCP, TLS -> {
                Duration timeout = r.timeout() != null ? r.timeout() : Duration.ofSeconds(10);
                try {
                    if (e.connected()) {
                        LineClient.connect(addr, port, timeout);
                        return Try.OK;
                    }
                    if (e.connectionRejected()) {
                        StringBuilder detail = new StringBuilder();
                        LineClient.Rejection rej = LineClient.handshakeRejected(addr, port, r.sni(), timeout, detail);
                        return rej == LineClient.Rejection.REJECTED ? Try.OK
                                : Try.fail("expected the TLS handshake to be rejected (reset/EOF), got: " + detail);
                    }
                    TlsConfig tls = protocol == Protocol.TLS ? tls(r) : null;
                    LineClient.Exchange x = LineClient.exchange(addr, port, tls, r.send() == null ? List.of() : r.send(),
                            timeout);
                    String m = Expectations.line(e, x);
                    return m == null ? Try.OK : Try.fail(m);
                } catch (TransportException ex) {
                    return Try.transport(ex.getMessage());
                }
            }
            case UDP -> {
                Duration timeout = r.timeout() != null ? r.timeout() : Duration.ofSeconds(2);
                int[] id = {0};
                byte[] payload = r.dnsQuery() != null ? UdpClient.dnsQuery(r.dnsQuery().name(), r.dnsQuery().type(), id)
                        : (r.payload() == null ? "" : r.payload()).getBytes(StandardCharsets.UTF_8);
                try {
                    byte[] reply = UdpClient.exchange(addr, port, payload, timeout);
                    String m = Expectations.udp(e, r, reply, id[0]);
                    return m == null ? Try.OK : Try.fail(m);
                } catch (TransportException ex) {
                    return Try.transport(ex.getMessage());
                }
            }
        }
        throw new IllegalStateException();
    }

    /** A gRPC connection shared by the tries of one case, re-established after Internal errors. */
    private final class GrpcSession implements AutoCloseable {
        private final InetAddress addr;
        private final int port;
        private H2Connection conn;

        GrpcSession(InetAddress addr, int port) {
            this.addr = addr;
            this.port = port;
        }

        synchronized H2Connection connection() throws TransportException {
            if (conn == null || !conn.isOpen()) {
                conn = H2Connection.open(addr, port, null, settings.requestTimeout());
            }
            return conn;
        }

        synchronized void reset() {
            if (conn != null) {
                conn.close();
                conn = null;
            }
        }

        @Override
        public void close() {
            reset();
        }
    }

    static String authority(InetAddress addr, int port, int defaultPort) {
        String host = addr instanceof Inet6Address ? "[" + addr.getHostAddress() + "]" : addr.getHostAddress();
        return port == defaultPort ? host : host + ":" + port;
    }

    private static String baseUrl(Protocol p, InetAddress addr, int port) {
        boolean tls = p == Protocol.HTTPS || p == Protocol.H2;
        return (tls ? "https" : "http") + "://" + authority(addr, port, -1);
    }

    /** Sends one HTTP-family request (4.1). */
    HttpResult http(Protocol protocol, InetAddress addr, int port, Request r, AtomicBoolean certRequested)
            throws TransportException {
        boolean tlsProto = protocol == Protocol.HTTPS || protocol == Protocol.H2;
        String authority = r.host() != null ? r.host() : authority(addr, port, tlsProto ? 443 : 80);
        String method = r.method() == null ? "GET" : r.method();
        String target = r.path() == null ? "/" : r.path();
        List<HttpCall.Header> headers = new ArrayList<>();
        if (r.headers() != null) {
            r.headers().forEach((k, v) -> headers.add(new HttpCall.Header(k, v)));
        }
        List<String> echoSet = new ArrayList<>();
        if (r.echoSetResponseHeaders() != null) {
            r.echoSetResponseHeaders().forEach((k, v) -> echoSet.add(k + ":" + v));
        }
        headers.add(new HttpCall.Header("X-Echo-Set-Header", String.join(",", echoSet)));
        byte[] body = r.body() == null ? null : r.body().getBytes(StandardCharsets.UTF_8);
        TlsConfig tls;
        try {
            tls = tlsProto ? tls(r) : null;
        } catch (RuntimeException ex) {
            throw new TransportException("cannot build the TLS configuration: " + ex.getMessage());
        }
        if (protocol == Protocol.HTTP || protocol == Protocol.HTTPS) {
            HttpResult res = Http1Client.send(new HttpCall(protocol, addr, port, method, authority, target, headers, body,
                    tls, settings.requestTimeout()));
            if (res.clientCertRequested()) {
                certRequested.set(true);
            }
            return res;
        }
        try (H2Connection conn = H2Connection.open(addr, port, tls, settings.requestTimeout())) {
            try {
                H2Connection.Answer a = conn.exchange(H2Connection.headers(method, tlsProto ? "https" : "http",
                        authority, target, headers), body, settings.requestTimeout());
                return new HttpResult(a.status(), "HTTP/2.0", a.headerList(), a.body(), conn.clientCertRequested());
            } finally {
                if (conn.clientCertRequested()) {
                    certRequested.set(true);
                }
            }
        }
    }

    /** TLS settings of a request: sni, caCert roots, clientCert (8.9). */
    private TlsConfig tls(Request r) {
        List<java.security.cert.X509Certificate> roots = r.caCert() == null ? null : Pem.certificates(pem(r.caCert()));
        List<java.security.cert.X509Certificate> chain = null;
        java.security.PrivateKey key = null;
        if (r.clientCert() != null) {
            PemRef c = r.clientCert();
            chain = Pem.certificates(pem(new PemRef(true, c.namespace(), c.name(), "tls.crt")));
            key = Pem.privateKey(pem(new PemRef(true, c.namespace(), c.name(), "tls.key")));
        }
        return new TlsConfig(r.sni(), roots, chain, key, null);
    }

    private String pem(PemRef ref) {
        return ValueFrom.value(shard.cluster(), ref.secret(), ref.namespace(), ref.name(), ref.key());
    }

    /** mirroredTo: each mirror Deployment's request log shows the target within 10 s. */
    private void awaitMirrors(List<Expect.Mirror> mirrors, String target) throws StepFailure {
        long deadline = System.nanoTime() + settings.limit(MIRROR_LOG_LIMIT).toNanos();
        for (Expect.Mirror m : mirrors) {
            while (true) {
                List<EchoPod> pods = shard.pods().pods(m.namespace(), m.backend());
                if (pods.isEmpty()) {
                    throw new StepFailure("mirroredTo: Deployment " + m.namespace() + "/" + m.backend() + " has no pods");
                }
                boolean seen = pods.stream().anyMatch(p -> p.requestLog().contains(target));
                if (seen) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new StepFailure("mirroredTo: no request to " + target + " in the logs of "
                            + m.namespace() + "/" + m.backend() + " within 10 s");
                }
                sleep(Duration.ofMillis(100));
            }
        }
    }

    // ================================================================================================ weights

    /** One sample's backend (Deployment name, 8.8) or failure. */
    record Sample(String backend, String failure) {}

    private Sample sample(Protocol protocol, InetAddress addr, int port, Request r, Expect e, GrpcSession grpc) {
        try {
            switch (protocol) {
                case HTTP -> {
                    HttpResult res = http(protocol, addr, port, r, new AtomicBoolean());
                    if (e != null) {
                        String m = Expectations.http(e, r, r.path() == null ? "/" : r.path(), res,
                                baseUrl(protocol, addr, port), this::pem);
                        if (m != null) {
                            return new Sample(null, m);
                        }
                    }
                    JsonNode echo = Expectations.echo(res);
                    if (echo == null) {
                        return new Sample(null, "not an echo response: HTTP " + res.status());
                    }
                    return new Sample(Expectations.deploymentOf(Json.text(echo, "pod")), null);
                }
                case GRPC -> {
                    String host = r.host() != null ? r.host() : authority(addr, port, -1);
                    GrpcClient.Result res = GrpcClient.call(grpc.connection(), host, r.grpcService(), r.grpcMethod(),
                            r.metadata(), settings.requestTimeout());
                    if (e != null) {
                        String m = Expectations.grpc(e, r, res);
                        if (m != null) {
                            return new Sample(null, m);
                        }
                    }
                    if (!"OK".equals(res.code())) {
                        return new Sample(null, "gRPC code " + res.code());
                    }
                    return new Sample(Expectations.deploymentOf(res.pod()), null);
                }
                case TCP -> {
                    List<String> send = List.of("TEST");
                    LineClient.Exchange x = LineClient.exchange(addr, port, null, send,
                            r.timeout() != null ? r.timeout() : Duration.ofSeconds(10));
                    if (e != null) {
                        String m = Expectations.line(e, x);
                        if (m != null) {
                            return new Sample(null, m);
                        }
                    }
                    return new Sample(Expectations.deploymentOf(Json.text(Json.parse(x.replies().get("TEST")), "pod")),
                            null);
                }
                case UDP -> {
                    byte[] reply = UdpClient.exchange(addr, port,
                            (r.payload() == null ? "" : r.payload()).getBytes(StandardCharsets.UTF_8),
                            r.timeout() != null ? r.timeout() : Duration.ofSeconds(2));
                    if (e != null) {
                        String m = Expectations.udp(e, r, reply, 0);
                        if (m != null) {
                            return new Sample(null, m);
                        }
                    }
                    return new Sample(Expectations.deploymentOf(Json.text(Json.JSON.readTree(reply), "pod")), null);
                }
                default -> {
                    return new Sample(null, "weights do not support " + protocol.key());
                }
            }
        } catch (Exception ex) {
            return new Sample(null, "transport error: " + ex.getMessage());
        }
    }

    private void weights(Step.Weights w) throws StepFailure {
        InetAddress addr = gatewayAddress(w.gateway());
        String last = null;
        try (GrpcSession grpc = w.protocol() == Protocol.GRPC ? new GrpcSession(addr, w.port()) : null) {
            for (int attempt = 1; attempt <= w.attempts(); attempt++) {
                String problem = weightsRun(w, addr, grpc);
                if (problem == null) {
                    return;
                }
                last = "attempt " + attempt + ": " + problem;
            }
        }
        throw new StepFailure("no run within tolerance in " + w.attempts() + " attempts; last " + last);
    }

    /** One run of samples; null = within tolerance. */
    String weightsRun(Step.Weights w, InetAddress addr, GrpcSession grpc) {
        List<Sample> samples = runConcurrently(w.samples(), w.concurrency(), () -> {
            Request r = w.request();
            if (w.jitter() != null && ThreadLocalRandom.current().nextDouble() < w.jitter().probability()) {
                String v = String.valueOf(ThreadLocalRandom.current().nextLong(w.jitter().min(), w.jitter().max() + 1));
                if (w.protocol() == Protocol.GRPC) {
                    Map<String, String> md = new LinkedHashMap<>(r.metadata() == null ? Map.of() : r.metadata());
                    md.put(w.jitter().name(), v);
                    r = new Request(r.method(), r.host(), r.path(), r.headers(), r.body(), r.echoSetResponseHeaders(),
                            r.sni(), r.caCert(), r.clientCert(), r.origin(), r.grpcService(), r.grpcMethod(), md,
                            r.send(), r.timeout(), r.payload(), r.dnsQuery());
                } else {
                    Map<String, String> h = new LinkedHashMap<>(r.headers() == null ? Map.of() : r.headers());
                    h.put(w.jitter().name(), v);
                    r = r.withHeaders(h);
                }
            }
            UnaryOperator<String> f = RuntimePlaceholders.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
            return sample(w.protocol(), addr, w.port(), RuntimePlaceholders.apply(r, f),
                    RuntimePlaceholders.apply(w.expect(), f), grpc);
        });
        return distribution(samples, w.expected(), w.tolerance());
    }

    /** upstream TestWeightedDistribution on a run's samples; null = within tolerance. */
    static String distribution(List<Sample> samples, Map<String, Double> expected, double tolerance) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Sample s : samples) {
            if (s.failure() != null) {
                return "a sample failed: " + s.failure();
            }
            if (!expected.containsKey(s.backend())) {
                return "a sample was answered by " + s.backend() + ", which is not among " + expected.keySet();
            }
            counts.merge(s.backend(), 1, Integer::sum);
        }
        long positive = expected.values().stream().filter(v -> v > 0).count();
        if (counts.size() != positive) {
            return counts.size() + " backends received traffic " + counts + ", expected " + positive
                    + " (weights " + expected + ")";
        }
        for (var en : expected.entrySet()) {
            double share = counts.getOrDefault(en.getKey(), 0) / (double) samples.size();
            if (Math.abs(share - en.getValue()) > tolerance) {
                return String.format(java.util.Locale.ROOT, "%s got %.3f of %d samples, expected %.3f +- %.3f (counts %s)",
                        en.getKey(), share, samples.size(), en.getValue(), tolerance, counts);
            }
        }
        return null;
    }

    private static <T> List<T> runConcurrently(int n, int concurrency, java.util.concurrent.Callable<T> task) {
        Semaphore sem = new Semaphore(Math.max(1, concurrency));
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                futures.add(ex.submit(() -> {
                    sem.acquire();
                    try {
                        return task.call();
                    } finally {
                        sem.release();
                    }
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    out.add(f.get());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return out;
        }
    }

    // ================================================================================================ mirror %

    private void mirrorPercentage(Step.MirrorPercentage m) throws StepFailure {
        InetAddress addr = gatewayAddress(m.gateway());
        String last = null;
        for (int batch = 1; batch <= m.attempts(); batch++) {
            String uuid = UUID.randomUUID().toString();
            UnaryOperator<String> f = RuntimePlaceholders.of(uuid, uuid);
            Request r = RuntimePlaceholders.apply(m.request(), f);
            Expect e = RuntimePlaceholders.apply(m.expect(), f);
            String target = r.path() == null ? "/" : r.path();
            Duration limit = settings.limit(REQUEST_LIMIT);
            List<String> failures = runConcurrently(m.samples(), m.concurrency(), () -> {
                long deadline = System.nanoTime() + limit.toNanos();
                String lastFail;
                while (true) {
                    Try t = once(m.protocol(), addr, m.port(), r, e, new AtomicBoolean(), null);
                    if (t.ok()) {
                        return null;
                    }
                    lastFail = t.message();
                    if (System.nanoTime() > deadline) {
                        return lastFail;
                    }
                    Thread.sleep(settings.retryPause().toMillis());
                }
            });
            String failed = failures.stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
            if (failed != null) {
                throw new StepFailure("batch " + batch + ": a request never satisfied expect: " + failed);
            }
            int count = settledMirrorCount(m.mirrorNamespace(), m.mirrorBackend(), target);
            if (count >= m.minCount() && count <= m.maxCount()) {
                return;
            }
            last = "batch " + batch + ": " + count + " mirrored requests, accepted " + m.minCount() + "-" + m.maxCount();
            if (batch < m.attempts()) {
                sleep(Duration.ofSeconds(2));
            }
        }
        throw new StepFailure(last);
    }

    /** Counts the mirror Deployment's log lines for a target once the count stops growing (max 5 s). */
    private int settledMirrorCount(String ns, String deployment, String target) {
        int count = -1;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            sleep(Duration.ofMillis(500));
            int c = 0;
            for (EchoPod p : shard.pods().pods(ns, deployment)) {
                c += (int) p.requestLog().stream().filter(target::equals).count();
            }
            if (c == count || System.nanoTime() > deadline) {
                return c;
            }
            count = c;
        }
    }

    // ================================================================================================ util

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
