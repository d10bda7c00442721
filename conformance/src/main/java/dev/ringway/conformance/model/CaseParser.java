package dev.ringway.conformance.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Strict reader of case files (SCHEMA.md, schema version 2): every key is checked against the schema, per protocol
 * where the schema restricts it, and an unknown key is an error naming the file and the key's path.
 */
public final class CaseParser {
    private static final Set<String> LEVELS = Set.of("core", "extended");
    private static final Set<String> COND_STATUS = Set.of("True", "False", "Unknown");
    private static final Set<String> HTTP_EXPECT = Set.of("status", "backend", "backendFromHeader", "namespace",
            "backendRequest", "responseHeaders", "responseHeadersOneOf", "absentResponseHeaders", "ignoreWhitespace",
            "redirect", "mirroredTo", "servedByGateway", "httpFailure", "connectionError", "clientCertRequested");
    private static final Set<String> TCP_EXPECT = Set.of("welcome", "replies", "backend", "namespace", "tlsServerName",
            "connected", "connectionRejected");
    private static final Set<String> UDP_EXPECT = Set.of("anyReply", "backend", "namespace", "backendMatch",
            "dnsResponse");
    private static final Set<String> GRPC_CODES = Set.of("OK", "Canceled", "Unknown", "InvalidArgument",
            "DeadlineExceeded", "NotFound", "AlreadyExists", "PermissionDenied", "ResourceExhausted",
            "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented", "Internal", "Unavailable", "DataLoss",
            "Unauthenticated");
    private static final Pattern INPUT_REF = Pattern.compile("\\$\\{([A-Z_]+)}");

    /** Request keys (4.1) and the protocols that may use them. */
    private static final Map<String, Set<Protocol>> REQUEST_KEYS = new LinkedHashMap<>();

    static {
        var http = EnumSet.of(Protocol.HTTP, Protocol.HTTPS, Protocol.H2, Protocol.H2C);
        REQUEST_KEYS.put("method", http);
        var host = EnumSet.copyOf(http);
        host.add(Protocol.WEBSOCKET);
        host.add(Protocol.GRPC);
        REQUEST_KEYS.put("host", host);
        var path = EnumSet.copyOf(http);
        path.add(Protocol.WEBSOCKET);
        REQUEST_KEYS.put("path", path);
        REQUEST_KEYS.put("headers", http);
        REQUEST_KEYS.put("body", http);
        REQUEST_KEYS.put("echoSetResponseHeaders", http);
        REQUEST_KEYS.put("sni", EnumSet.of(Protocol.HTTPS, Protocol.H2, Protocol.TLS));
        REQUEST_KEYS.put("caCert", EnumSet.of(Protocol.HTTPS, Protocol.H2, Protocol.TLS));
        REQUEST_KEYS.put("clientCert", EnumSet.of(Protocol.HTTPS, Protocol.H2));
        REQUEST_KEYS.put("origin", EnumSet.of(Protocol.WEBSOCKET));
        REQUEST_KEYS.put("grpcService", EnumSet.of(Protocol.GRPC));
        REQUEST_KEYS.put("grpcMethod", EnumSet.of(Protocol.GRPC));
        REQUEST_KEYS.put("metadata", EnumSet.of(Protocol.GRPC));
        REQUEST_KEYS.put("send", EnumSet.of(Protocol.TCP, Protocol.TLS));
        REQUEST_KEYS.put("timeout", EnumSet.of(Protocol.TCP, Protocol.TLS, Protocol.UDP));
        REQUEST_KEYS.put("payload", EnumSet.of(Protocol.UDP));
        REQUEST_KEYS.put("dnsQuery", EnumSet.of(Protocol.UDP));
    }

    private final String file;
    private final UnaryOperator<String> subst;

    private CaseParser(String file, UnaryOperator<String> subst) {
        this.file = file;
        this.subst = subst;
    }

    /** Parses every {@code *.yaml} file of a directory, sorted by name. */
    public static List<ConformanceCase> parseDirectory(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
        List<ConformanceCase> cases = new ArrayList<>();
        for (Path f : files) {
            cases.add(parse(f));
        }
        return cases;
    }

    public static ConformanceCase parse(Path file) throws IOException {
        return parse(file, Files.readString(file));
    }

    /** Parses a case from text; {@code file} names it in errors and must match {@code name}. */
    public static ConformanceCase parse(Path file, String text) {
        JsonNode root;
        try {
            root = Json.parseYaml(text);
        } catch (IllegalArgumentException e) {
            throw new CaseFormatException(file.getFileName() + ": " + e.getMessage());
        }
        return new CaseParser(file.getFileName().toString(), UnaryOperator.identity()).read(file, root, true);
    }

    /**
     * Returns the case with its steps re-read after substituting, in every string (and map key) of the steps,
     * {@code ${NAME}} inputs (7.3) and the static placeholders of 7.4 ({@code {GATEWAY_CONTROLLER_NAME}},
     * {@code {GATEWAY_CLASS_NAME}}, {@code {testName}}). {@code {uuid}} and {@code {attemptUuid}} stay.
     */
    public static ConformanceCase resolve(ConformanceCase c, Map<String, String> inputs, String controllerName,
                                          String gatewayClassName) {
        UnaryOperator<String> subst = s -> {
            if (s == null) {
                return null;
            }
            Matcher m = INPUT_REF.matcher(s);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String v = inputs.get(m.group(1));
                if (v == null) {
                    throw new CaseFormatException(c.file().getFileName() + ": input ${" + m.group(1)
                            + "} has no value (declare it in inputs and supply it)");
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(v));
            }
            m.appendTail(sb);
            return sb.toString()
                    .replace("{GATEWAY_CONTROLLER_NAME}", controllerName)
                    .replace("{GATEWAY_CLASS_NAME}", gatewayClassName)
                    .replace("{testName}", c.name());
        };
        return new CaseParser(c.file().getFileName().toString(), subst).read(c.file(), c.raw(), false);
    }

    // ------------------------------------------------------------------------------------------------ top level

    private ConformanceCase read(Path path, JsonNode root, boolean checkName) {
        Obj o = obj(root, "");
        o.only("name", "description", "profiles", "features", "level", "provisional", "manifests", "skipIfSupported",
                "skipUnlessSupported", "inputs", "remarks", "steps");
        String name = o.str("name", true);
        String expectedName = file.endsWith(".yaml") ? file.substring(0, file.length() - 5) : file;
        if (checkName && !name.equals(expectedName)) {
            throw err("name", "'" + name + "' does not equal the file name '" + expectedName + "'");
        }
        String level = o.str("level", true);
        if (!LEVELS.contains(level)) {
            throw err("level", "must be core or extended, not '" + level + "'");
        }
        List<String> inputs = o.strList("inputs", false);
        JsonNode stepsNode = o.req("steps");
        if (!stepsNode.isArray() || stepsNode.isEmpty()) {
            throw err("steps", "must be a non-empty list");
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < stepsNode.size(); i++) {
            steps.add(step(stepsNode.get(i), "steps[" + i + "]"));
        }
        if (checkName) {
            checkInputs(root.get("steps"), inputs == null ? List.of() : inputs);
        }
        return new ConformanceCase(path, name, o.str("description", true), o.strList("profiles", true),
                o.strList("features", true), level, o.bool("provisional", true), o.strList("manifests", true),
                orEmpty(o.strList("skipIfSupported", false)), orEmpty(o.strList("skipUnlessSupported", false)),
                orEmpty(inputs), orEmpty(o.strList("remarks", false)), List.copyOf(steps), root);
    }

    private void checkInputs(JsonNode steps, List<String> inputs) {
        List<String> found = new ArrayList<>();
        collectInputs(steps, found);
        for (String f : found) {
            if (!inputs.contains(f)) {
                throw err("steps", "uses ${" + f + "} which is not declared in inputs");
            }
        }
    }

    private static void collectInputs(JsonNode n, List<String> out) {
        if (n.isTextual()) {
            Matcher m = INPUT_REF.matcher(n.asText());
            while (m.find()) {
                out.add(m.group(1));
            }
        } else if (n.isContainerNode()) {
            n.fieldNames().forEachRemaining(k -> collectInputs(TextNode.valueOf(k), out));
            n.elements().forEachRemaining(e -> collectInputs(e, out));
        }
    }

    private static <T> List<T> orEmpty(List<T> l) {
        return l == null ? List.of() : l;
    }

    // ------------------------------------------------------------------------------------------------ steps

    private Step step(JsonNode n, String path) {
        Obj o = obj(n, path);
        if (o.node.size() != 1) {
            throw err(path, "a step must have exactly one key, found " + o.keys());
        }
        String key = o.node.fieldNames().next();
        JsonNode v = o.node.get(key);
        String p = path + "." + key;
        return switch (key) {
            case "status" -> new Step.Status(list(v, p, this::statusEntry));
            case "requests" -> requests(v, p);
            case "weights" -> weights(v, p);
            case "mirrorPercentage" -> mirror(v, p);
            case "namespacesReady" -> new Step.NamespacesReady(list(v, p, this::text));
            case "apply" -> new Step.Apply(text(v, p));
            case "create" -> {
                if (!v.isObject()) {
                    throw err(p, "must be a Kubernetes object");
                }
                Obj c = obj(v, p);
                c.str("kind", true);
                c.req("metadata");
                yield new Step.Create(substTree(v));
            }
            case "patch" -> {
                Obj c = obj(v, p);
                c.only("kind", "namespace", "name", "mergePatch");
                JsonNode mp = c.req("mergePatch");
                if (!mp.isObject()) {
                    throw err(p + ".mergePatch", "must be a mapping");
                }
                yield new Step.Patch(c.str("kind", true), c.str("namespace", false), c.str("name", true),
                        substTree(mp));
            }
            case "delete" -> {
                Obj c = obj(v, p);
                c.only("kind", "namespace", "name");
                yield new Step.Delete(c.str("kind", true), c.str("namespace", false), c.str("name", true));
            }
            case "endpoints" -> new Step.Endpoints(list(v, p, (e, ep) -> {
                Obj c = obj(e, ep);
                c.only("namespace", "endpointSlices", "target");
                return new Step.EndpointsItem(c.str("namespace", true), c.strList("endpointSlices", true),
                        c.str("target", true));
            }));
            case "sleep" -> new Step.Sleep(duration(v, p));
            case "note" -> new Step.Note(text(v, p));
            default -> throw err(path, "unknown step key '" + key + "'");
        };
    }

    private StatusEntry statusEntry(JsonNode n, String path) {
        Obj o = obj(n, path);
        o.only("kind", "namespace", "name", "eventually", "conditions", "latestObservedGeneration",
                "generationChanged", "hasAddress", "addressesExact", "attachedListenerSets", "zeroRoutes",
                "listenersExact", "listeners", "parents", "noAcceptedParents", "ancestors");
        String kind = o.str("kind", true);
        String ns = o.str("namespace", !kind.equals("GatewayClass"));
        boolean listenersExact = o.flag("listenersExact");
        List<StatusEntry.Listener> listeners = o.has("listeners") ? list(o.req("listeners"), path + ".listeners",
                (ln, lp) -> {
                    Obj l = obj(ln, lp);
                    l.only("name", "attachedRoutes", "supportedKinds", "conditions");
                    List<StatusEntry.Kind> kinds = l.has("supportedKinds") ? list(l.req("supportedKinds"),
                            lp + ".supportedKinds", (kn, kp) -> {
                                Obj k = obj(kn, kp);
                                k.only("group", "kind");
                                return new StatusEntry.Kind(k.str("group", false), k.str("kind", true));
                            }) : null;
                    Integer attached = l.integer("attachedRoutes", false);
                    if (listenersExact && (attached == null || kinds == null)) {
                        throw err(lp, "listenersExact requires attachedRoutes and supportedKinds on every listener");
                    }
                    return new StatusEntry.Listener(l.str("name", true), attached, kinds,
                            l.has("conditions") ? conds(l.req("conditions"), lp + ".conditions") : null);
                }) : null;
        if (listenersExact && listeners == null) {
            throw err(path, "listenersExact requires listeners");
        }
        List<StatusEntry.Parent> parents = o.has("parents") ? list(o.req("parents"), path + ".parents", (pn, pp) -> {
            Obj p = obj(pn, pp);
            p.only("parentRef", "controllerName", "namespaceRequired", "conditions");
            Obj r = obj(p.req("parentRef"), pp + ".parentRef");
            r.only("group", "kind", "name", "namespace");
            return new StatusEntry.Parent(
                    new StatusEntry.ParentRef(r.str("group", false), r.str("kind", false), r.str("name", true),
                            r.str("namespace", true)),
                    p.str("controllerName", false), p.flag("namespaceRequired"),
                    conds(p.req("conditions"), pp + ".conditions"));
        }) : null;
        List<StatusEntry.Ancestor> ancestors = o.has("ancestors") ? list(o.req("ancestors"), path + ".ancestors",
                (an, ap) -> {
                    Obj a = obj(an, ap);
                    a.only("ancestorRef", "conditions");
                    Obj r = obj(a.req("ancestorRef"), ap + ".ancestorRef");
                    r.only("name", "namespace", "group", "kind");
                    return new StatusEntry.Ancestor(r.str("name", true), r.str("namespace", false),
                            conds(a.req("conditions"), ap + ".conditions"));
                }) : null;
        List<StatusEntry.Address> addrs = o.has("addressesExact") ? list(o.req("addressesExact"),
                path + ".addressesExact", (an, ap) -> {
                    Obj a = obj(an, ap);
                    a.only("type", "value");
                    return new StatusEntry.Address(a.str("type", true), a.str("value", true));
                }) : null;
        StatusEntry e = new StatusEntry(kind, ns, o.str("name", true),
                o.has("eventually") ? o.bool("eventually", true) : true,
                o.has("conditions") ? conds(o.req("conditions"), path + ".conditions") : null,
                o.flag("latestObservedGeneration"), o.flag("generationChanged"), o.flag("hasAddress"), addrs,
                o.integer("attachedListenerSets", false), o.flag("zeroRoutes"), listenersExact, listeners, parents,
                o.flag("noAcceptedParents"), ancestors);
        return e;
    }

    private List<Cond> conds(JsonNode n, String path) {
        return list(n, path, (cn, cp) -> {
            Obj c = obj(cn, cp);
            c.only("type", "status", "reason");
            String status = c.str("status", false);
            if (status != null && !COND_STATUS.contains(status)) {
                throw err(cp + ".status", "must be \"True\", \"False\" or \"Unknown\", not '" + status + "'");
            }
            return new Cond(c.str("type", true), status, c.str("reason", false));
        });
    }

    private Step.Requests requests(JsonNode n, String path) {
        Obj o = obj(n, path);
        o.only("gateway", "port", "protocol", "cases");
        Protocol protocol = protocol(o, path);
        String gw = nsName(o.str("gateway", true), path + ".gateway");
        int port = o.integer("port", true);
        List<Step.RequestCase> cases = list(o.req("cases"), path + ".cases", (cn, cp) -> {
            Obj c = obj(cn, cp);
            c.only("request", "expect", "eventually", "repeat", "within");
            Request req = request(c.req("request"), cp + ".request", protocol);
            Expect exp = expect(c.req("expect"), cp + ".expect", protocol);
            Integer repeat = c.integer("repeat", false);
            if (repeat != null && repeat < 1) {
                throw err(cp + ".repeat", "must be at least 1");
            }
            return new Step.RequestCase(req, exp, c.has("eventually") ? c.bool("eventually", true) : true,
                    repeat == null ? 1 : repeat, c.has("within") ? duration(c.req("within"), cp + ".within") : null);
        });
        if (cases.isEmpty()) {
            throw err(path + ".cases", "must not be empty");
        }
        return new Step.Requests(gw, port, protocol, cases);
    }

    private Protocol protocol(Obj o, String path) {
        String p = o.str("protocol", true);
        try {
            return Protocol.of(p);
        } catch (IllegalArgumentException e) {
            throw err(path + ".protocol", e.getMessage());
        }
    }

    private Step.Weights weights(JsonNode n, String path) {
        Obj o = obj(n, path);
        o.only("gateway", "port", "protocol", "request", "expect", "jitter", "samples", "concurrency", "attempts",
                "expected", "tolerance");
        Protocol protocol = protocol(o, path);
        if (!EnumSet.of(Protocol.HTTP, Protocol.GRPC, Protocol.TCP, Protocol.UDP).contains(protocol)) {
            throw err(path + ".protocol", "weights support http, grpc, tcp and udp, not " + protocol.key());
        }
        Step.Jitter jitter = null;
        if (o.has("jitter")) {
            Obj j = obj(o.req("jitter"), path + ".jitter");
            j.only("name", "probability", "values");
            String values = j.str("values", true);
            String[] parts = values.split("-");
            if (parts.length != 2) {
                throw err(path + ".jitter.values", "must be MIN-MAX, not '" + values + "'");
            }
            jitter = new Step.Jitter(j.str("name", true), j.dbl("probability", true), Long.parseLong(parts[0].trim()),
                    Long.parseLong(parts[1].trim()));
        }
        Map<String, Double> expected = new LinkedHashMap<>();
        Obj e = obj(o.req("expected"), path + ".expected");
        e.node.fieldNames().forEachRemaining(k -> expected.put(subst.apply(k), e.dbl(k, true)));
        return new Step.Weights(nsName(o.str("gateway", true), path + ".gateway"), o.integer("port", true), protocol,
                request(o.req("request"), path + ".request", protocol),
                o.has("expect") ? expect(o.req("expect"), path + ".expect", protocol) : null, jitter,
                o.integer("samples", true), o.integer("concurrency", true), o.integer("attempts", true),
                Collections.unmodifiableMap(expected), o.dbl("tolerance", true));
    }

    private Step.MirrorPercentage mirror(JsonNode n, String path) {
        Obj o = obj(n, path);
        o.only("gateway", "port", "protocol", "request", "expect", "mirror", "samples", "concurrency", "attempts",
                "acceptedMirrorCount");
        Protocol protocol = protocol(o, path);
        if (!protocol.httpFamily()) {
            throw err(path + ".protocol", "mirrorPercentage needs an HTTP protocol");
        }
        Obj m = obj(o.req("mirror"), path + ".mirror");
        m.only("backend", "namespace", "percent");
        Obj a = obj(o.req("acceptedMirrorCount"), path + ".acceptedMirrorCount");
        a.only("min", "max");
        return new Step.MirrorPercentage(nsName(o.str("gateway", true), path + ".gateway"), o.integer("port", true),
                protocol, request(o.req("request"), path + ".request", protocol),
                expect(o.req("expect"), path + ".expect", protocol), m.str("backend", true),
                m.str("namespace", true), m.dbl("percent", true), o.integer("samples", true),
                o.integer("concurrency", true), o.integer("attempts", true), a.integer("min", true),
                a.integer("max", true));
    }

    // ------------------------------------------------------------------------------------------------ requests

    private Request request(JsonNode n, String path, Protocol protocol) {
        Obj o = obj(n, path);
        for (Iterator<String> it = o.node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            Set<Protocol> allowed = REQUEST_KEYS.get(k);
            if (allowed == null) {
                throw err(path, "unknown key '" + k + "'");
            }
            if (!allowed.contains(protocol)) {
                throw err(path, "key '" + k + "' is not valid for protocol " + protocol.key());
            }
        }
        Request.DnsQuery dns = null;
        if (o.has("dnsQuery")) {
            Obj d = obj(o.req("dnsQuery"), path + ".dnsQuery");
            d.only("name", "type");
            dns = new Request.DnsQuery(d.str("name", true), d.str("type", true));
        }
        if (o.has("payload") && dns != null) {
            throw err(path, "payload and dnsQuery are exclusive");
        }
        if (protocol == Protocol.GRPC && (!o.has("grpcService") || !o.has("grpcMethod"))) {
            throw err(path, "grpc requests need grpcService and grpcMethod");
        }
        return new Request(o.str("method", false), o.str("host", false), o.str("path", false),
                o.strMap("headers"), o.str("body", false), o.strMap("echoSetResponseHeaders"), o.str("sni", false),
                o.has("caCert") ? pemRef(o.req("caCert"), path + ".caCert", true) : null,
                o.has("clientCert") ? pemRef(o.req("clientCert"), path + ".clientCert", false) : null,
                o.str("origin", false), o.str("grpcService", false), o.str("grpcMethod", false), o.strMap("metadata"),
                o.strList("send", false), o.has("timeout") ? duration(o.req("timeout"), path + ".timeout") : null,
                o.str("payload", false), dns);
    }

    private PemRef pemRef(JsonNode n, String path, boolean keyRequired) {
        Obj o = obj(n, path);
        if (keyRequired) {
            o.only("secret", "configMap", "key");
        } else {
            o.only("secret");
        }
        boolean secret = o.has("secret");
        if (secret == o.has("configMap")) {
            throw err(path, "needs exactly one of secret and configMap");
        }
        String ref = nsName(o.str(secret ? "secret" : "configMap", true), path);
        int slash = ref.indexOf('/');
        return new PemRef(secret, ref.substring(0, slash), ref.substring(slash + 1),
                keyRequired ? o.str("key", true) : null);
    }

    private Expect expect(JsonNode n, String path, Protocol protocol) {
        Obj o = obj(n, path);
        Set<String> allowed = switch (protocol) {
            case HTTP, HTTPS, H2, H2C -> HTTP_EXPECT;
            case WEBSOCKET -> Set.of("messages");
            case GRPC -> Set.of("grpcCode", "backend", "namespace", "backendRequest");
            case TCP -> TCP_EXPECT.stream().filter(k -> !k.equals("connectionRejected"))
                    .collect(java.util.stream.Collectors.toSet());
            case TLS -> TCP_EXPECT;
            case UDP -> UDP_EXPECT;
        };
        o.only(allowed.toArray(String[]::new));
        List<Integer> status = null;
        if (o.has("status")) {
            JsonNode s = o.req("status");
            if (s.isArray()) {
                status = list(s, path + ".status", (x, xp) -> intValue(x, xp));
                if (status.isEmpty()) {
                    throw err(path + ".status", "must not be empty");
                }
            } else {
                status = List.of(intValue(s, path + ".status"));
            }
        }
        Expect.BackendRequest br = null;
        if (o.has("backendRequest")) {
            Obj b = obj(o.req("backendRequest"), path + ".backendRequest");
            if (protocol == Protocol.GRPC) {
                b.only("fullyQualifiedMethod");
            } else {
                b.only("method", "host", "path", "headers", "absentHeaders", "sni", "clientCert");
            }
            PemRef cc = null;
            if (b.has("clientCert")) {
                Obj c = obj(b.req("clientCert"), path + ".backendRequest.clientCert");
                c.only("secret", "key");
                String ref = nsName(c.str("secret", true), path + ".backendRequest.clientCert.secret");
                cc = new PemRef(true, ref.substring(0, ref.indexOf('/')), ref.substring(ref.indexOf('/') + 1),
                        c.str("key", true));
            }
            br = new Expect.BackendRequest(b.str("method", false), b.str("host", false), b.str("path", false),
                    b.strMap("headers"), b.strList("absentHeaders", false), b.str("sni", false), cc,
                    b.str("fullyQualifiedMethod", false));
        }
        Map<String, List<String>> oneOf = null;
        if (o.has("responseHeadersOneOf")) {
            Obj h = obj(o.req("responseHeadersOneOf"), path + ".responseHeadersOneOf");
            Map<String, List<String>> m = new LinkedHashMap<>();
            h.node.fieldNames().forEachRemaining(k -> m.put(subst.apply(k), h.strList(k, true)));
            oneOf = Collections.unmodifiableMap(m);
        }
        Expect.Redirect redirect = null;
        if (o.has("redirect")) {
            Obj r = obj(o.req("redirect"), path + ".redirect");
            r.only("scheme", "host", "port", "path");
            redirect = new Expect.Redirect(r.str("scheme", true), r.str("host", false), r.integer("port", false),
                    r.str("path", true));
        }
        List<Expect.Mirror> mirrors = o.has("mirroredTo") ? list(o.req("mirroredTo"), path + ".mirroredTo",
                (mn, mp) -> {
                    Obj m = obj(mn, mp);
                    m.only("backend", "namespace");
                    return new Expect.Mirror(m.str("backend", true), m.str("namespace", true));
                }) : null;
        List<Expect.WsMessage> messages = null;
        if (protocol == Protocol.WEBSOCKET) {
            messages = list(o.req("messages"), path + ".messages", (mn, mp) -> {
                Obj m = obj(mn, mp);
                m.only("send", "receive");
                Obj s = obj(m.req("send"), mp + ".send");
                Obj r = obj(m.req("receive"), mp + ".receive");
                return new Expect.WsMessage(wsPayload(s, mp + ".send"), s.has("text"), wsPayload(r, mp + ".receive"));
            });
        }
        String grpcCode = null;
        if (protocol == Protocol.GRPC) {
            grpcCode = o.str("grpcCode", true);
            if (!GRPC_CODES.contains(grpcCode)) {
                throw err(path + ".grpcCode", "unknown gRPC code '" + grpcCode + "'");
            }
        }
        String backendMatch = o.str("backendMatch", false);
        if (backendMatch != null && !backendMatch.equals("service") && !backendMatch.equals("deployment")) {
            throw err(path + ".backendMatch", "must be service or deployment");
        }
        Map<String, String> replies = o.strMap("replies");
        if (replies != null) {
            // replies name commands of send; checked by the runner against the request
        }
        return new Expect(status, o.str("backend", false), o.str("backendFromHeader", false),
                o.str("namespace", false), br, o.strMap("responseHeaders"), oneOf,
                o.strList("absentResponseHeaders", false), o.flag("ignoreWhitespace"), redirect, mirrors,
                o.flag("servedByGateway"), o.flag("httpFailure"), o.flag("connectionError"),
                o.flag("clientCertRequested"), messages, grpcCode, o.str("welcome", false), replies,
                o.str("tlsServerName", false), o.flag("connected"), o.flag("connectionRejected"),
                o.flag("anyReply"), backendMatch, o.flag("dnsResponse"));
    }

    private byte[] wsPayload(Obj o, String path) {
        o.only("text", "binary");
        if (o.has("text") == o.has("binary")) {
            throw err(path, "needs exactly one of text and binary");
        }
        if (o.has("text")) {
            return o.str("text", true).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        List<Integer> bytes = list(o.req("binary"), path + ".binary", this::intValue);
        byte[] b = new byte[bytes.size()];
        for (int i = 0; i < b.length; i++) {
            int v = bytes.get(i);
            if (v < 0 || v > 255) {
                throw err(path + ".binary", "byte values are 0-255, not " + v);
            }
            b[i] = (byte) v;
        }
        return b;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private String nsName(String s, String path) {
        int slash = s.indexOf('/');
        if (slash <= 0 || slash == s.length() - 1 || s.indexOf('/', slash + 1) >= 0) {
            throw err(path, "must be namespace/name, not '" + s + "'");
        }
        return s;
    }

    private Duration duration(JsonNode n, String path) {
        String s = text(n, path);
        try {
            return GoDuration.parse(s);
        } catch (IllegalArgumentException e) {
            throw err(path, e.getMessage());
        }
    }

    private String text(JsonNode n, String path) {
        if (n == null || !n.isValueNode() || n.isNull()) {
            throw err(path, "must be a string");
        }
        if (!n.isTextual()) {
            throw err(path, "must be a string, not " + n.getNodeType().name().toLowerCase());
        }
        return subst.apply(n.asText());
    }

    private int intValue(JsonNode n, String path) {
        if (n == null || !n.isIntegralNumber()) {
            throw err(path, "must be an integer");
        }
        return n.intValue();
    }

    private JsonNode substTree(JsonNode n) {
        if (n.isTextual()) {
            return TextNode.valueOf(subst.apply(n.asText()));
        }
        if (n.isObject()) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            n.properties().forEach(e -> o.set(subst.apply(e.getKey()), substTree(e.getValue())));
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            n.forEach(e -> a.add(substTree(e)));
            return a;
        }
        return n.deepCopy();
    }

    private interface ItemReader<T> {
        T read(JsonNode n, String path);
    }

    private <T> List<T> list(JsonNode n, String path, ItemReader<T> reader) {
        if (n == null || !n.isArray()) {
            throw err(path, "must be a list");
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            out.add(reader.read(n.get(i), path + "[" + i + "]"));
        }
        return List.copyOf(out);
    }

    private CaseFormatException err(String path, String message) {
        return new CaseFormatException(file + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }

    private Obj obj(JsonNode n, String path) {
        if (n == null || !n.isObject()) {
            throw err(path, "must be a mapping");
        }
        return new Obj(n, path);
    }

    /** A mapping being read; {@link #only} rejects unknown keys. */
    private final class Obj {
        final JsonNode node;
        final String path;

        Obj(JsonNode node, String path) {
            this.node = node;
            this.path = path;
        }

        String p(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        List<String> keys() {
            List<String> k = new ArrayList<>();
            node.fieldNames().forEachRemaining(k::add);
            return k;
        }

        void only(String... allowed) {
            Set<String> a = Set.of(allowed);
            for (String k : keys()) {
                if (!a.contains(k)) {
                    throw err(path, "unknown key '" + k + "'");
                }
            }
        }

        boolean has(String key) {
            return node.has(key) && !node.get(key).isNull();
        }

        JsonNode req(String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                throw err(path, "missing required key '" + key + "'");
            }
            return v;
        }

        String str(String key, boolean required) {
            if (!has(key)) {
                if (required) {
                    throw err(path, "missing required key '" + key + "'");
                }
                return null;
            }
            return text(node.get(key), p(key));
        }

        boolean bool(String key, boolean required) {
            if (!has(key)) {
                if (required) {
                    throw err(path, "missing required key '" + key + "'");
                }
                return false;
            }
            JsonNode v = node.get(key);
            if (!v.isBoolean()) {
                throw err(p(key), "must be true or false");
            }
            return v.booleanValue();
        }

        /** A key whose only meaningful value is true (false = absent). */
        boolean flag(String key) {
            return bool(key, false);
        }

        Integer integer(String key, boolean required) {
            if (!has(key)) {
                if (required) {
                    throw err(path, "missing required key '" + key + "'");
                }
                return null;
            }
            return intValue(node.get(key), p(key));
        }

        double dbl(String key, boolean required) {
            if (!has(key)) {
                throw err(path, "missing required key '" + key + "'");
            }
            JsonNode v = node.get(key);
            if (!v.isNumber()) {
                throw err(p(key), "must be a number");
            }
            return v.doubleValue();
        }

        List<String> strList(String key, boolean required) {
            if (!has(key)) {
                if (required) {
                    throw err(path, "missing required key '" + key + "'");
                }
                return null;
            }
            return list(node.get(key), p(key), CaseParser.this::text);
        }

        Map<String, String> strMap(String key) {
            if (!has(key)) {
                return null;
            }
            Obj m = obj(node.get(key), p(key));
            Map<String, String> out = new LinkedHashMap<>();
            for (String k : m.keys()) {
                out.put(subst.apply(k), text(m.node.get(k), m.p(k)));
            }
            return Collections.unmodifiableMap(out);
        }
    }
}
