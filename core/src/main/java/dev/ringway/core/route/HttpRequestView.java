package dev.ringway.core.route;

/**
 * What the matcher needs from an HTTP request. The data plane implements it over its own request
 * object without copying; every method may be called several times per lookup.
 */
public interface HttpRequestView {

    /** Host without port, lower-case (the data plane normalises it once per request). */
    String host();

    /** The request method, upper-case as sent. */
    String method();

    /** The path part of the request target, as received (no query). */
    String path();

    /** The raw query string without the {@code ?}, or null when there is none. */
    String query();

    /** All values of a header joined with {@code ,}, or null; {@code lowerCaseName} is lower-case. */
    String header(String lowerCaseName);
}
