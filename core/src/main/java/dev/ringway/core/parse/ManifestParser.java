package dev.ringway.core.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ringway.core.model.BackendTlsPolicy;
import dev.ringway.core.model.ConfigMap;
import dev.ringway.core.model.EndpointSlice;
import dev.ringway.core.model.Gateway;
import dev.ringway.core.model.GatewayClass;
import dev.ringway.core.model.GrpcRoute;
import dev.ringway.core.model.HttpRoute;
import dev.ringway.core.model.Kinds;
import dev.ringway.core.model.ListenerSet;
import dev.ringway.core.model.Namespace;
import dev.ringway.core.model.ObjectMeta;
import dev.ringway.core.model.ReferenceGrant;
import dev.ringway.core.model.Resource;
import dev.ringway.core.model.Secret;
import dev.ringway.core.model.Service;
import dev.ringway.core.model.TcpRoute;
import dev.ringway.core.model.TlsRoute;
import dev.ringway.core.model.UdpRoute;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one manifest parser every source uses (files, the Kubernetes API, the conformance runner).
 * Reads YAML or JSON, multi-document, and {@code kind: List}. Each object is bound to its record
 * independently: a malformed object becomes a {@link ParseProblem} naming the source, the object
 * and the field, and the other objects are still returned.
 */
public final class ManifestParser {

    private record KindInfo(Class<? extends Resource> type, Set<String> apiVersions, boolean gatewayApi) {
    }

    private static final Map<String, KindInfo> KINDS = Map.ofEntries(
            gw(Kinds.GATEWAY_CLASS, GatewayClass.class),
            gw(Kinds.GATEWAY, Gateway.class),
            gw(Kinds.HTTP_ROUTE, HttpRoute.class),
            gw(Kinds.GRPC_ROUTE, GrpcRoute.class),
            gw(Kinds.TLS_ROUTE, TlsRoute.class),
            gw(Kinds.TCP_ROUTE, TcpRoute.class),
            gw(Kinds.UDP_ROUTE, UdpRoute.class),
            gw(Kinds.REFERENCE_GRANT, ReferenceGrant.class),
            gw(Kinds.BACKEND_TLS_POLICY, BackendTlsPolicy.class),
            gw(Kinds.LISTENER_SET, ListenerSet.class),
            Map.entry(Kinds.NAMESPACE, new KindInfo(Namespace.class, Set.of("v1"), false)),
            Map.entry(Kinds.SERVICE, new KindInfo(Service.class, Set.of("v1"), false)),
            Map.entry(Kinds.SECRET, new KindInfo(Secret.class, Set.of("v1"), false)),
            Map.entry(Kinds.CONFIG_MAP, new KindInfo(ConfigMap.class, Set.of("v1"), false)),
            Map.entry(Kinds.ENDPOINT_SLICE, new KindInfo(EndpointSlice.class, Set.of("discovery.k8s.io/v1"), false)));

    private static Map.Entry<String, KindInfo> gw(String kind, Class<? extends Resource> type) {
        return Map.entry(kind, new KindInfo(type, Kinds.GATEWAY_API_VERSIONS.get(kind), true));
    }

    private final ObjectMapper yaml;
    private final ObjectMapper json;
    private final ObjectMapper binder;
    private final String defaultNamespace;

    private ManifestParser(String defaultNamespace) {
        this.defaultNamespace = defaultNamespace;
        this.yaml = YAMLMapper.builder(new YAMLFactory()).build();
        this.json = JsonMapper.builder().build();
        this.binder = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    /** A parser that puts namespaced objects without a namespace into {@code default}, as kubectl does. */
    public static ManifestParser create() {
        return new ManifestParser("default");
    }

    public static ManifestParser create(String defaultNamespace) {
        return new ManifestParser(defaultNamespace);
    }

    /** The mapper used to bind objects; also usable to turn records back into JSON trees. */
    public ObjectMapper mapper() {
        return binder;
    }

    public ParseResult parse(Path file) {
        String name = file.toString();
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            return parse(name, content);
        } catch (IOException e) {
            return new ParseResult(List.of(), List.of(new ParseProblem(ParseProblem.Severity.ERROR, name, 0, null, null,
                    null, null, "cannot read: " + e.getMessage())), List.of());
        }
    }

    /** Parses YAML or JSON text holding any number of documents. */
    public ParseResult parse(String source, String content) {
        List<ParsedObject> objects = new ArrayList<>();
        List<ParseProblem> problems = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        boolean isJson = source != null && source.endsWith(".json");
        ObjectMapper reader = isJson ? json : yaml;
        int doc = 0;
        try (MappingIterator<JsonNode> it = reader.readerFor(JsonNode.class).readValues(content)) {
            while (true) {
                JsonNode node;
                try {
                    if (!it.hasNextValue()) {
                        break;
                    }
                    doc++;
                    node = it.nextValue();
                } catch (IOException | RuntimeException e) {
                    problems.add(new ParseProblem(ParseProblem.Severity.ERROR, source, Math.max(doc, 1), null, null, null,
                            null, "invalid " + (isJson ? "JSON" : "YAML") + ": " + cleanMessage(e)));
                    break; // a syntax error makes the rest of the stream unreadable
                }
                if (node == null || node.isNull() || node.isMissingNode()) {
                    continue;
                }
                readDocument(node, source, doc, objects, problems, skipped);
            }
        } catch (IOException | RuntimeException e) {
            problems.add(new ParseProblem(ParseProblem.Severity.ERROR, source, Math.max(doc, 1), null, null, null, null,
                    "invalid " + (isJson ? "JSON" : "YAML") + ": " + cleanMessage(e)));
        }
        return new ParseResult(objects, problems, skipped);
    }

    /** Binds one already-parsed object (used by sources that get JSON trees, e.g. the Kubernetes API). */
    public ParseResult parseNode(String source, JsonNode node) {
        List<ParsedObject> objects = new ArrayList<>();
        List<ParseProblem> problems = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        readDocument(node, source, 0, objects, problems, skipped);
        return new ParseResult(objects, problems, skipped);
    }

    private void readDocument(JsonNode node, String source, int doc, List<ParsedObject> objects,
                              List<ParseProblem> problems, List<String> skipped) {
        if (!node.isObject()) {
            problems.add(problem(source, doc, null, null, null, null, "a manifest document must be a mapping, found "
                    + node.getNodeType().name().toLowerCase()));
            return;
        }
        String kind = text(node, "kind");
        if ("List".equals(kind) || (kind != null && kind.endsWith("List") && node.has("items"))) {
            int i = 0;
            for (JsonNode item : node.path("items")) {
                int before = problems.size();
                readDocument(item, source, doc, objects, problems, skipped);
                for (int p = before; p < problems.size(); p++) {
                    ParseProblem pp = problems.get(p);
                    problems.set(p, new ParseProblem(pp.severity(), pp.source(), pp.document(), pp.kind(), pp.namespace(),
                            pp.name(), "items[" + i + "]" + (pp.field() == null ? "" : "." + pp.field()), pp.message()));
                }
                i++;
            }
            return;
        }
        JsonNode meta = node.path("metadata");
        String name = text(meta, "name");
        String ns = text(meta, "namespace");
        if (kind == null || kind.isEmpty()) {
            problems.add(problem(source, doc, null, ns, name, "kind", "missing kind"));
            return;
        }
        String apiVersion = text(node, "apiVersion");
        KindInfo info = KINDS.get(kind);
        if ("XListenerSet".equals(kind) && apiVersion != null && apiVersion.startsWith(Kinds.GATEWAY_X_GROUP + "/")) {
            info = KINDS.get(Kinds.LISTENER_SET); // experimental-channel name of ListenerSet
            kind = Kinds.LISTENER_SET;
        }
        if (info == null || !groupMatches(info, apiVersion)) {
            skipped.add(kind + " " + (ns == null ? "" : ns + "/") + name + " (" + apiVersion + ") from " + source);
            return;
        }
        if (apiVersion == null) {
            problems.add(problem(source, doc, kind, ns, name, "apiVersion", "missing apiVersion"));
            return;
        }
        String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
        boolean versionOk = info.gatewayApi()
                ? info.apiVersions().contains(version) || (Kinds.LISTENER_SET.equals(kind) && apiVersion.startsWith(Kinds.GATEWAY_X_GROUP))
                : info.apiVersions().contains(apiVersion);
        if (!versionOk) {
            problems.add(problem(source, doc, kind, ns, name, "apiVersion", "apiVersion " + apiVersion
                    + " is not served for kind " + kind + " (accepted: " + String.join(", ", info.apiVersions()
                    .stream().sorted().toList()) + ")"));
            return;
        }
        if (name == null || name.isEmpty()) {
            problems.add(problem(source, doc, kind, ns, null, "metadata.name", "missing metadata.name"));
            return;
        }
        ObjectNode obj = ((ObjectNode) node).deepCopy();
        obj.remove("status"); // status is ours to write; an exported object may carry one
        obj.remove("kind");
        List<ParseProblem> warnings = new ArrayList<>();
        UnknownFieldCollector collector = new UnknownFieldCollector(source, doc, kind, ns, name, info.gatewayApi(),
                warnings);
        Resource r;
        try {
            r = binder.readerFor(info.type()).withHandler(collector).readValue(binder.treeAsTokens(obj));
        } catch (JsonMappingException e) {
            problems.add(problem(source, doc, kind, ns, name, path(e), cleanMessage(e)));
            return;
        } catch (IOException | RuntimeException e) {
            problems.add(problem(source, doc, kind, ns, name, null, cleanMessage(e)));
            return;
        }
        problems.addAll(warnings);
        ObjectMeta m = r.metadata();
        if (Kinds.isClusterScoped(kind)) {
            if (m.namespace() != null && !m.namespace().isEmpty()) {
                r = r.withMetadata(m.withNamespace(null));
            }
        } else if (m.namespace() == null || m.namespace().isEmpty()) {
            r = r.withMetadata(m.withNamespace(defaultNamespace));
        }
        objects.add(new ParsedObject(r, source, doc));
    }

    private static boolean groupMatches(KindInfo info, String apiVersion) {
        if (apiVersion == null) {
            return true; // reported as missing apiVersion
        }
        if (info.gatewayApi()) {
            return apiVersion.startsWith(Kinds.GATEWAY_GROUP + "/") || apiVersion.startsWith(Kinds.GATEWAY_X_GROUP + "/");
        }
        return info.apiVersions().contains(apiVersion);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static ParseProblem problem(String source, int doc, String kind, String ns, String name, String field,
                                        String message) {
        return new ParseProblem(ParseProblem.Severity.ERROR, source, doc, kind, ns, name, field, message);
    }

    /** {@code spec.listeners[0].port} from a mapping exception's reference chain. */
    static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            }
        }
        return sb.toString();
    }

    private static String cleanMessage(Throwable e) {
        String msg = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        if (msg == null) {
            msg = e.getClass().getSimpleName();
        }
        // Jackson names our record types; users know the YAML, not our classes.
        msg = msg.replaceAll("`dev\\.ringway\\.core\\.model\\.[A-Za-z$]+`", "this field")
                .replaceAll("dev\\.ringway\\.core\\.model\\.[A-Za-z$]+", "object")
                .replaceAll("\\s+", " ").trim();
        int at = msg.indexOf(" at [Source");
        return at > 0 ? msg.substring(0, at) : msg;
    }

    /** Records unknown fields of Gateway API objects as warnings (the object is kept). */
    private static final class UnknownFieldCollector extends DeserializationProblemHandler {
        private final String source;
        private final int doc;
        private final String kind;
        private final String ns;
        private final String name;
        private final boolean report;
        private final List<ParseProblem> out;

        UnknownFieldCollector(String source, int doc, String kind, String ns, String name, boolean report,
                              List<ParseProblem> out) {
            this.source = source;
            this.doc = doc;
            this.kind = kind;
            this.ns = ns;
            this.name = name;
            this.report = report;
            this.out = out;
        }

        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                                             Object beanOrClass, String propertyName) throws IOException {
            String path = pointerToPath(p.getParsingContext().pathAsPointer().toString());
            boolean inMetadata = path.startsWith("metadata");
            if (report && !inMetadata) {
                out.add(new ParseProblem(ParseProblem.Severity.WARNING, source, doc, kind, ns, name, path,
                        "unknown field \"" + propertyName + "\" is ignored"));
            }
            p.skipChildren();
            return true;
        }

        private static String pointerToPath(String pointer) {
            StringBuilder sb = new StringBuilder();
            Iterator<String> parts = List.of(pointer.split("/")).iterator();
            while (parts.hasNext()) {
                String s = parts.next();
                if (s.isEmpty()) {
                    continue;
                }
                if (s.chars().allMatch(Character::isDigit)) {
                    sb.append('[').append(s).append(']');
                } else {
                    if (!sb.isEmpty()) {
                        sb.append('.');
                    }
                    sb.append(s.replace("~1", "/").replace("~0", "~"));
                }
            }
            return sb.toString();
        }
    }
}
