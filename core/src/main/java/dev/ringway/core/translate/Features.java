package dev.ringway.core.translate;

import java.util.List;

/**
 * The Gateway API conformance features Ringway claims. This is the one place the list lives: the
 * GatewayClass status reports it ({@code status.supportedFeatures}) and the conformance runner reads
 * it to decide which tests must pass. It only ever grows, and only when the tests of a feature pass.
 */
public final class Features {
    private Features() {
    }

    public static final List<String> SUPPORTED = List.of(
            "Gateway",
            "HTTPRoute",
            "ReferenceGrant",
            "BackendTLSPolicy",
            "GRPCRoute",
            "GRPCRouteNamedRouteRule",
            "GatewayAddressEmpty",
            "GatewayBackendClientCertificate",
            "GatewayFrontendClientCertificateValidation",
            "GatewayFrontendClientCertificateValidationInsecureFallback",
            "GatewayHTTPListenerIsolation",
            "GatewayHTTPSListenerDetectMisdirectedRequests",
            "GatewayPort8080",
            "GatewayStaticAddresses",
            "HTTPRoute303RedirectStatusCode",
            "HTTPRoute307RedirectStatusCode",
            "HTTPRoute308RedirectStatusCode",
            "HTTPRouteBackendProtocolH2C",
            "HTTPRouteBackendProtocolWebSocket",
            "HTTPRouteBackendRequestHeaderModification",
            "HTTPRouteBackendTimeout",
            "HTTPRouteDestinationPortMatching",
            "HTTPRouteHostRewrite",
            "HTTPRouteNamedRouteRule",
            "HTTPRouteParentRefPort",
            "HTTPRoutePathRewrite",
            "HTTPRoutePortRedirect",
            "HTTPRouteQueryParamMatching",
            "HTTPRouteRequestMirror",
            "HTTPRouteRequestTimeout",
            "HTTPRouteResponseHeaderModification",
            "HTTPRouteRetry",
            "HTTPRouteSchemeRedirect",
            "ListenerSet",
            "TCPRoute",
            "TLSRoute",
            "TLSRouteModeMixed",
            "TLSRouteModeTerminate",
            "UDPRoute");
}
