package dev.ringway.core.status;

/** Condition types and reasons of the Gateway API (names as the API types define them). */
public final class Conditions {
    private Conditions() {
    }

    // types
    public static final String ACCEPTED = "Accepted";
    public static final String PROGRAMMED = "Programmed";
    public static final String RESOLVED_REFS = "ResolvedRefs";
    public static final String CONFLICTED = "Conflicted";
    public static final String SUPPORTED_VERSION = "SupportedVersion";
    public static final String PARTIALLY_INVALID = "PartiallyInvalid";
    public static final String OVERLAPPING_TLS_CONFIG = "OverlappingTLSConfig";
    public static final String INSECURE_FRONTEND_VALIDATION_MODE = "InsecureFrontendValidationMode";

    // reasons
    public static final String R_ACCEPTED = "Accepted";
    public static final String R_PROGRAMMED = "Programmed";
    public static final String R_RESOLVED_REFS = "ResolvedRefs";
    public static final String R_PENDING = "Pending";
    public static final String R_INVALID = "Invalid";
    public static final String R_INVALID_PARAMETERS = "InvalidParameters";
    public static final String R_UNSUPPORTED = "Unsupported";
    public static final String R_SUPPORTED_VERSION = "SupportedVersion";
    public static final String R_UNSUPPORTED_VERSION = "UnsupportedVersion";
    public static final String R_LISTENERS_NOT_VALID = "ListenersNotValid";
    public static final String R_UNSUPPORTED_ADDRESS = "UnsupportedAddress";
    public static final String R_ADDRESS_NOT_ASSIGNED = "AddressNotAssigned";
    public static final String R_ADDRESS_NOT_USABLE = "AddressNotUsable";
    public static final String R_NO_RESOURCES = "NoResources";
    public static final String R_PORT_UNAVAILABLE = "PortUnavailable";
    public static final String R_UNSUPPORTED_PROTOCOL = "UnsupportedProtocol";
    public static final String R_HOSTNAME_CONFLICT = "HostnameConflict";
    public static final String R_PROTOCOL_CONFLICT = "ProtocolConflict";
    public static final String R_NO_CONFLICTS = "NoConflicts";
    public static final String R_INVALID_CERTIFICATE_REF = "InvalidCertificateRef";
    public static final String R_INVALID_ROUTE_KINDS = "InvalidRouteKinds";
    public static final String R_REF_NOT_PERMITTED = "RefNotPermitted";
    public static final String R_NOT_ALLOWED_BY_LISTENERS = "NotAllowedByListeners";
    public static final String R_NO_MATCHING_LISTENER_HOSTNAME = "NoMatchingListenerHostname";
    public static final String R_NO_MATCHING_PARENT = "NoMatchingParent";
    public static final String R_UNSUPPORTED_VALUE = "UnsupportedValue";
    public static final String R_BACKEND_NOT_FOUND = "BackendNotFound";
    public static final String R_INVALID_KIND = "InvalidKind";
    public static final String R_UNSUPPORTED_PROTOCOL_BACKEND = "UnsupportedProtocol";
    public static final String R_INCOMPATIBLE_FILTERS = "IncompatibleFilters";
    public static final String R_NOT_ALLOWED = "NotAllowed";
    public static final String R_PARENT_NOT_ACCEPTED = "ParentNotAccepted";
    public static final String R_LISTENERS_CONFLICTED = "ListenersConflicted";
    public static final String R_INVALID_CLIENT_CERTIFICATE_REF = "InvalidClientCertificateRef";
    public static final String R_NO_VALID_CA_CERTIFICATE = "NoValidCACertificate";
    public static final String R_INVALID_CA_CERTIFICATE_REF = "InvalidCACertificateRef";
    public static final String R_INVALID_CA_CERTIFICATE_KIND = "InvalidCACertificateKind";
    public static final String R_INVALID_KIND_POLICY = "InvalidKind";
    public static final String R_CONFLICTED = "Conflicted";
    public static final String R_CONFIGURATION_CHANGED = "ConfigurationChanged";
    public static final String R_UNSUPPORTED_EXTENSION = "UnsupportedValue";
}
