package dev.ringway.core.model;

import java.util.List;

/** ListenerSet: listeners contributed to a parent Gateway that allows them. */
public record ListenerSet(String apiVersion, ObjectMeta metadata, Spec spec) implements Resource {
    public record Spec(ParentReference parentRef, List<Listener> listeners) {
        public Spec {
            listeners = Lists.copy(listeners);
        }
    }

    @Override
    public String kind() {
        return Kinds.LISTENER_SET;
    }

    @Override
    public ListenerSet withMetadata(ObjectMeta m) {
        return new ListenerSet(apiVersion, m, spec);
    }
}
