package dev.ringway.k8s.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringway.k8s.ApiKind;
import dev.ringway.k8s.ApiKinds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The discovery documents the mock API server lacks ({@code /api}, {@code /apis}, {@code /api/v1},
 * {@code /apis/GROUP/VERSION}, {@code /version}): what {@code kubectl} reads to map kinds and short names
 * to REST paths. Lists the kinds Ringway watches, the Gateway API kinds (with their status
 * subresources), and the kinds of Ringway's own deployment manifests (Deployments, DaemonSets,
 * ServiceAccounts, RBAC, Leases, CRDs) so {@code kubectl apply --dry-run=client -f docker/} works.
 */
final class Discovery {
    private Discovery() {
    }

    record Resource(String group, String version, String plural, String kind, boolean namespaced,
                    List<String> shortNames, boolean status) {
    }

    private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch",
            "update", "watch");

    static final List<Resource> RESOURCES;

    static {
        List<Resource> r = new ArrayList<>();
        for (ApiKind k : ApiKinds.ALL) {
            r.add(new Resource(k.group(), k.version(), k.plural(), k.kind(), k.namespaced(), k.shortNames(),
                    k.statusSubresource()));
        }
        r.add(new Resource("", "v1", "pods", "Pod", true, List.of("po"), true));
        r.add(new Resource("", "v1", "serviceaccounts", "ServiceAccount", true, List.of("sa"), false));
        r.add(new Resource("", "v1", "events", "Event", true, List.of("ev"), false));
        r.add(new Resource("", "v1", "endpoints", "Endpoints", true, List.of("ep"), false));
        r.add(new Resource("", "v1", "nodes", "Node", false, List.of("no"), true));
        r.add(new Resource("apps", "v1", "deployments", "Deployment", true, List.of("deploy"), true));
        r.add(new Resource("apps", "v1", "daemonsets", "DaemonSet", true, List.of("ds"), true));
        r.add(new Resource("apps", "v1", "replicasets", "ReplicaSet", true, List.of("rs"), true));
        r.add(new Resource("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, List.of(), false));
        r.add(new Resource("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false,
                List.of(), false));
        r.add(new Resource("rbac.authorization.k8s.io", "v1", "roles", "Role", true, List.of(), false));
        r.add(new Resource("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true, List.of(), false));
        r.add(new Resource("coordination.k8s.io", "v1", "leases", "Lease", true, List.of(), false));
        r.add(new Resource("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false,
                List.of("crd", "crds"), true));
        r.add(new Resource("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, List.of("pdb"), true));
        RESOURCES = List.copyOf(r);
    }

    /** group → versions (the core group is "" and served under /api). */
    static Map<String, List<String>> groups() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Resource r : RESOURCES) {
            List<String> v = out.computeIfAbsent(r.group(), g -> new ArrayList<>());
            if (!v.contains(r.version())) {
                v.add(r.version());
            }
        }
        return out;
    }

    static ObjectNode version(ObjectMapper m) {
        ObjectNode v = m.createObjectNode();
        v.put("major", "1");
        v.put("minor", "32");
        v.put("gitVersion", "v1.32.0-ringway-sandbox");
        v.put("gitCommit", "0000000000000000000000000000000000000000");
        v.put("gitTreeState", "clean");
        v.put("buildDate", "2026-01-01T00:00:00Z");
        v.put("goVersion", "go1.23");
        v.put("compiler", "gc");
        v.put("platform", "linux/amd64");
        return v;
    }

    static ObjectNode apiVersions(ObjectMapper m, String serverAddress) {
        ObjectNode v = m.createObjectNode();
        v.put("kind", "APIVersions");
        v.putArray("versions").add("v1");
        ArrayNode cidrs = v.putArray("serverAddressByClientCIDRs");
        cidrs.addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
        return v;
    }

    static ObjectNode apiGroupList(ObjectMapper m) {
        ObjectNode list = m.createObjectNode();
        list.put("kind", "APIGroupList");
        list.put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        groups().forEach((g, versions) -> {
            if (g.isEmpty()) {
                return;
            }
            ObjectNode gn = groups.addObject();
            gn.put("name", g);
            ArrayNode vs = gn.putArray("versions");
            for (String v : versions) {
                vs.addObject().put("groupVersion", g + "/" + v).put("version", v);
            }
            gn.putObject("preferredVersion").put("groupVersion", g + "/" + versions.getFirst())
                    .put("version", versions.getFirst());
        });
        return list;
    }

    /** {@code /openapi/v3}: one document per group version. */
    static ObjectNode openApiIndex(ObjectMapper m) {
        ObjectNode root = m.createObjectNode();
        ObjectNode paths = root.putObject("paths");
        groups().forEach((g, versions) -> {
            for (String v : versions) {
                String gv = g.isEmpty() ? "api/" + v : "apis/" + g + "/" + v;
                paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=ringway-sandbox");
            }
        });
        return root;
    }

    /**
     * The OpenAPI v3 document of one group version, reduced to what {@code kubectl} looks for: each
     * kind's PATCH operation accepting {@code fieldValidation}, so kubectl leaves validation to the server
     * (which here validates nothing) instead of downloading schemas. No schemas.
     */
    static ObjectNode openApi(ObjectMapper m, String group, String version) {
        List<Resource> rs = RESOURCES.stream().filter(r -> r.group().equals(group) && r.version().equals(version))
                .toList();
        if (rs.isEmpty()) {
            return null;
        }
        ObjectNode doc = m.createObjectNode();
        doc.put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes (Ringway sandbox)").put("version", "v1.32.0");
        ObjectNode paths = doc.putObject("paths");
        String base = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        for (Resource r : rs) {
            String item = base + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural() + "/{name}";
            ObjectNode pathItem = paths.putObject(item);
            for (String method : List.of("get", "put", "patch", "delete")) {
                ObjectNode op = pathItem.putObject(method);
                op.put("operationId", method + r.kind());
                op.putObject("x-kubernetes-group-version-kind").put("group", group).put("version", version)
                        .put("kind", r.kind());
                ArrayNode params = op.putArray("parameters");
                for (String p : List.of("dryRun", "fieldManager", "fieldValidation")) {
                    ObjectNode pn = params.addObject();
                    pn.put("name", p);
                    pn.put("in", "query");
                    pn.putObject("schema").put("type", "string").put("uniqueItems", true);
                }
                op.putObject("responses").putObject("200").put("description", "OK");
            }
            String collection = base + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural();
            ObjectNode post = paths.putObject(collection).putObject("post");
            post.put("operationId", "create" + r.kind());
            post.putObject("x-kubernetes-group-version-kind").put("group", group).put("version", version)
                    .put("kind", r.kind());
            ArrayNode params = post.putArray("parameters");
            for (String p : List.of("dryRun", "fieldManager", "fieldValidation")) {
                ObjectNode pn = params.addObject();
                pn.put("name", p);
                pn.put("in", "query");
                pn.putObject("schema").put("type", "string").put("uniqueItems", true);
            }
            post.putObject("responses").putObject("201").put("description", "Created");
        }
        doc.putObject("components").putObject("schemas");
        return doc;
    }

    /** The APIResourceList of one group version, or null when it is not served. */
    static ObjectNode resourceList(ObjectMapper m, String group, String version) {
        List<Resource> rs = RESOURCES.stream().filter(r -> r.group().equals(group) && r.version().equals(version))
                .toList();
        if (rs.isEmpty()) {
            return null;
        }
        ObjectNode list = m.createObjectNode();
        list.put("kind", "APIResourceList");
        list.put("apiVersion", "v1");
        list.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode arr = list.putArray("resources");
        for (Resource r : rs) {
            ObjectNode n = arr.addObject();
            n.put("name", r.plural());
            n.put("singularName", r.kind().toLowerCase(java.util.Locale.ROOT));
            n.put("namespaced", r.namespaced());
            n.put("kind", r.kind());
            ArrayNode verbs = n.putArray("verbs");
            VERBS.forEach(verbs::add);
            if (!r.shortNames().isEmpty()) {
                ArrayNode sn = n.putArray("shortNames");
                r.shortNames().forEach(sn::add);
            }
            if (r.group().equals(ApiKinds.GATEWAY_GROUP)) {
                n.putArray("categories").add("gateway-api");
            }
            if (r.status()) {
                ObjectNode s = arr.addObject();
                s.put("name", r.plural() + "/status");
                s.put("singularName", "");
                s.put("namespaced", r.namespaced());
                s.put("kind", r.kind());
                s.putArray("verbs").add("get").add("patch").add("update");
            }
        }
        return list;
    }
}
