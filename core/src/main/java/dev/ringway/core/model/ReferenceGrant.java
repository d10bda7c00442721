package dev.ringway.core.model;

import java.util.List;

/** ReferenceGrant: lets objects of the {@code from} namespaces and kinds refer to {@code to} objects here. */
public record ReferenceGrant(String apiVersion, ObjectMeta metadata, Spec spec) implements Resource {
    public record Spec(List<From> from, List<To> to) {
        public Spec {
            from = Lists.copy(from);
            to = Lists.copy(to);
        }
    }

    public record From(String group, String kind, String namespace) {
        public From {
            group = Lists.orEmpty(group);
        }
    }

    public record To(String group, String kind, String name) {
        public To {
            group = Lists.orEmpty(group);
        }
    }

    @Override
    public String kind() {
        return Kinds.REFERENCE_GRANT;
    }

    @Override
    public ReferenceGrant withMetadata(ObjectMeta m) {
        return new ReferenceGrant(apiVersion, m, spec);
    }
}
