package dev.ringway.core.status;

import dev.ringway.core.model.Listener;
import dev.ringway.core.model.ParentReference;

import java.util.List;

/** The {@code status} of one object, shaped exactly as the API server stores it. */
public sealed interface ObjectStatus {

    record GatewayClassStatus(List<Condition> conditions, List<SupportedFeature> supportedFeatures)
            implements ObjectStatus {
        public GatewayClassStatus {
            conditions = List.copyOf(conditions);
            supportedFeatures = List.copyOf(supportedFeatures);
        }
    }

    record SupportedFeature(String name) {
    }

    record GatewayStatus(List<Address> addresses, List<Condition> conditions, List<ListenerStatus> listeners,
                         Integer attachedListenerSets) implements ObjectStatus {
        public GatewayStatus {
            addresses = List.copyOf(addresses);
            conditions = List.copyOf(conditions);
            listeners = List.copyOf(listeners);
        }
    }

    record Address(String type, String value) {
    }

    record ListenerStatus(String name, List<Listener.RouteGroupKind> supportedKinds, int attachedRoutes,
                          List<Condition> conditions) {
        public ListenerStatus {
            supportedKinds = List.copyOf(supportedKinds);
            conditions = List.copyOf(conditions);
        }
    }

    record ListenerSetStatus(List<Condition> conditions, List<ListenerStatus> listeners) implements ObjectStatus {
        public ListenerSetStatus {
            conditions = List.copyOf(conditions);
            listeners = List.copyOf(listeners);
        }
    }

    record RouteStatus(List<RouteParentStatus> parents) implements ObjectStatus {
        public RouteStatus {
            parents = List.copyOf(parents);
        }
    }

    record RouteParentStatus(ParentReference parentRef, String controllerName, List<Condition> conditions) {
        public RouteParentStatus {
            conditions = List.copyOf(conditions);
        }
    }

    record PolicyStatus(List<PolicyAncestorStatus> ancestors) implements ObjectStatus {
        public PolicyStatus {
            ancestors = List.copyOf(ancestors);
        }
    }

    record PolicyAncestorStatus(ParentReference ancestorRef, String controllerName, List<Condition> conditions) {
        public PolicyAncestorStatus {
            conditions = List.copyOf(conditions);
        }
    }
}
