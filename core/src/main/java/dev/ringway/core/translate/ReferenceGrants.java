package dev.ringway.core.translate;

import dev.ringway.core.model.Kinds;
import dev.ringway.core.model.ReferenceGrant;

import java.util.List;
import java.util.Map;

/**
 * Cross-namespace reference permission (ReferenceGrant godoc): "ReferenceGrant identifies kinds of
 * resources in other namespaces that are trusted to reference the specified kinds of resources in
 * the same namespace as the policy." A reference from {@code (fromGroup, fromKind, fromNamespace)}
 * to {@code (toGroup, toKind, toName)} in {@code toNamespace} is allowed when a grant in
 * {@code toNamespace} lists the from-triple in {@code from} and the to-kind in {@code to} with either
 * no name ("all resources of that kind") or that exact name. Same-namespace references need no grant.
 */
final class ReferenceGrants {
    private final Map<String, List<ReferenceGrant>> byNamespace;

    ReferenceGrants(Map<String, List<ReferenceGrant>> byNamespace) {
        this.byNamespace = byNamespace;
    }

    boolean allowed(String fromGroup, String fromKind, String fromNamespace, String toGroup, String toKind,
                    String toNamespace, String toName) {
        if (fromNamespace.equals(toNamespace)) {
            return true;
        }
        for (ReferenceGrant g : byNamespace.getOrDefault(toNamespace, List.of())) {
            if (g.spec() == null) {
                continue;
            }
            boolean fromOk = g.spec().from().stream().anyMatch(f -> sameGroup(f.group(), fromGroup)
                    && fromKind.equals(f.kind()) && fromNamespace.equals(f.namespace()));
            if (!fromOk) {
                continue;
            }
            boolean toOk = g.spec().to().stream().anyMatch(t -> sameGroup(t.group(), toGroup) && toKind.equals(t.kind())
                    && (t.name() == null || t.name().isEmpty() || t.name().equals(toName)));
            if (toOk) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameGroup(String a, String b) {
        return Kinds.isCoreGroup(a) ? Kinds.isCoreGroup(b) : a.equals(b);
    }
}
