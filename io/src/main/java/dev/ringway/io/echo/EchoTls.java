package dev.ringway.io.echo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS material of an echo server, as PEM text: the server certificate chain (leaf first), its private key
 * (PKCS#8 {@code PRIVATE KEY} or PKCS#1 {@code RSA PRIVATE KEY}, unencrypted), and optionally a bundle of CA
 * certificates that client certificates must chain to (HTTP echo only, ECHO.md section 3 {@code TLS_CLIENT_CACERTS}).
 */
public record EchoTls(String certificateChainPem, String privateKeyPem, Optional<String> clientCaPem, Provider provider) {

    /** Which TLS implementation serves the connections. */
    public enum Provider {
        /** BoringSSL through netty-tcnative when it loads, otherwise the JDK's. */
        OPENSSL_IF_AVAILABLE,
        /** The JDK's {@code SSLEngine}. */
        JDK
    }

    public EchoTls {
        Objects.requireNonNull(certificateChainPem, "certificateChainPem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        Objects.requireNonNull(clientCaPem, "clientCaPem");
        Objects.requireNonNull(provider, "provider");
    }

    public static EchoTls of(String certificateChainPem, String privateKeyPem) {
        return new EchoTls(certificateChainPem, privateKeyPem, Optional.empty(), Provider.OPENSSL_IF_AVAILABLE);
    }

    /** Reads the PEM files, as the container image does with {@code TLS_SERVER_CERT} / {@code TLS_SERVER_PRIVKEY}. */
    public static EchoTls fromFiles(Path certificateChain, Path privateKey) throws IOException {
        return of(Files.readString(certificateChain, StandardCharsets.US_ASCII),
                Files.readString(privateKey, StandardCharsets.US_ASCII));
    }

    /** Request a client certificate and, when one is sent, require it to chain to one of these CAs. */
    public EchoTls withClientCa(String caBundlePem) {
        return new EchoTls(certificateChainPem, privateKeyPem, Optional.of(caBundlePem), provider);
    }

    public EchoTls withProvider(Provider newProvider) {
        return new EchoTls(certificateChainPem, privateKeyPem, clientCaPem, newProvider);
    }
}
