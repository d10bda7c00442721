package dev.ringway.io.echo;

import java.util.Objects;

/**
 * Who an echo server claims to be (ECHO.md section 2): the values the container images take from
 * {@code POD_NAME}, {@code NAMESPACE}, {@code SERVICE_NAME} and {@code INGRESS_NAME}. Unset ones are empty strings.
 */
public record EchoIdentity(String pod, String namespace, String service, String ingress) {
    public EchoIdentity {
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(ingress, "ingress");
    }

    /** Pod and namespace set, service and ingress empty (what the base manifests do for HTTP backends). */
    public static EchoIdentity of(String pod, String namespace) {
        return new EchoIdentity(pod, namespace, "", "");
    }

    /** Pod, namespace and service set (what the TCP and UDP test backends do), ingress empty. */
    public static EchoIdentity of(String pod, String namespace, String service) {
        return new EchoIdentity(pod, namespace, service, "");
    }
}
