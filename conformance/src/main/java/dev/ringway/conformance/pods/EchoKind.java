package dev.ringway.conformance.pods;

/** The backend kinds of ECHO.md: echo-basic's four modes and the DNS server. */
public enum EchoKind {
    HTTP, GRPC, TCP, UDP, DNS
}
