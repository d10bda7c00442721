package dev.ringway.control.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Certificate rotation under load on {@code examples/https}: while clients keep sending HTTPS requests,
 * {@code gen-secrets.sh} runs again (new keys and serial numbers from the same CA; secrets.yaml replaced by
 * a rename, as a user would do it or as a Secret volume update does). Clients: (1) one kept-alive TLS
 * connection sending HTTP/1.1 requests back to back, opened before the rotation; (2) a loop opening a new
 * TLS connection per request (SNI api.example.com, hostname verified against the CA) and recording the
 * certificate each handshake saw; (3) curl sending 100 requests a second over one HTTP/2 connection
 * for 5 s, across the rotation.
 * Asserted: no request fails in any client; new handshakes see the new certificate (openssl s_client, for
 * both names, and the Java loop, whose handshakes end with the new serial and never go back); the
 * kept-alive connections (the Java HTTP/1.1 one and curl's HTTP/2 one) keep working across the rotation,
 * the Java one on its old session.
 */
class CertificateRotationE2eTest {
    @RegisterExtension
    static final ExampleExtension example = ExampleExtension.of(dir -> ExampleGateway.of("https", dir)
            .prepare(OpenSsl::genSecrets));
    static SSLContext trustingCa;

    @BeforeAll
    static void start() throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(example.dir().resolve("ca.crt"))) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        trustingCa = SSLContext.getInstance("TLS");
        trustingCa.init(null, tmf.getTrustManagers(), null);
    }

    static SSLSocket connect(String host) throws IOException {
        SSLSocket s = (SSLSocket) trustingCa.getSocketFactory().createSocket("127.0.0.1", example.gw().httpsPort());
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(host)));
        p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
        p.setApplicationProtocols(new String[]{"http/1.1"});
        s.setSSLParameters(p);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    static BigInteger serial(SSLSocket s) throws IOException {
        return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
    }

    /** One HTTP/1.1 exchange on {@code s}; returns the status (the body is read by Content-Length or chunks). */
    static int exchange(SSLSocket s, String host, String path, boolean close) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        String head = readHead(in);
        int status = Integer.parseInt(head.substring(9, 12));
        String lower = head.toLowerCase(Locale.ROOT);
        int cl = lower.indexOf("\r\ncontent-length:");
        if (cl >= 0) {
            int end = lower.indexOf("\r\n", cl + 2);
            in.readNBytes(Integer.parseInt(lower.substring(cl + 17, end).trim()));
        } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
            while (true) {
                int n = Integer.parseInt(readLine(in).trim(), 16);
                in.readNBytes(n + 2);
                if (n == 0) {
                    break;
                }
            }
        }
        return status;
    }

    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed after " + b.size() + " bytes of a response head");
            }
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    BigInteger sClientSerial(String host) {
        OpenSsl.Handshake h = OpenSsl.connect(example.gw().httpsPort(), host, example.dir().resolve("ca.crt"));
        assertThat(h.certificate()).as(h.output()).isNotNull();
        assertThat(h.verify()).isEqualTo("0 (ok)");
        return h.certificate().getSerialNumber();
    }

    @Test
    void rotationUnderLoad() throws Exception {
        BigInteger oldApi = sClientSerial("api.example.com");
        BigInteger oldApp = sClientSerial("app.example.com");

        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger keptAliveRequests = new AtomicInteger();
        AtomicInteger keptAliveAfterRotation = new AtomicInteger();
        AtomicBoolean rotated = new AtomicBoolean();
        List<BigInteger> handshakes = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger curlRequests = new AtomicInteger();

        SSLSocket keptAlive = connect("api.example.com");
        assertThat(serial(keptAlive)).isEqualTo(oldApi);
        Thread keepAlive = Thread.ofPlatform().name("kept-alive").start(() -> {
            try {
                while (!stop.get()) {
                    int st = exchange(keptAlive, "api.example.com", "/kept-alive", false);
                    if (st != 200) {
                        failures.add("kept-alive: status " + st);
                    }
                    keptAliveRequests.incrementAndGet();
                    if (rotated.get()) {
                        keptAliveAfterRotation.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                failures.add("kept-alive: " + e);
            }
        });
        Thread newConnections = Thread.ofPlatform().name("new-connections").start(() -> {
            while (!stop.get()) {
                try (SSLSocket s = connect("api.example.com")) {
                    handshakes.add(serial(s));
                    int st = exchange(s, "api.example.com", "/new-connection", true);
                    if (st != 200) {
                        failures.add("new connection: status " + st);
                    }
                } catch (IOException e) {
                    failures.add("new connection: " + e);
                }
            }
        });
        // load before the rotation: some requests on the kept-alive connection, some handshakes
        long warm = System.nanoTime();
        while ((handshakes.size() < 3 || keptAliveRequests.get() < 20) && System.nanoTime() - warm < 20_000_000_000L) {
            Thread.sleep(50);
        }
        AtomicInteger curlConnects = new AtomicInteger();
        Thread curl = Thread.ofPlatform().name("curl").start(() -> {
            // one curl, one HTTP/2 connection, 100 requests a second for 5 s: across the rotation
            Curl.Output o = Curl.run(List.of("curl", "-sS", "--http2", "--rate", "100/s", "--cacert", example.dir().resolve("ca.crt").toString(),
                    "--resolve", "app.example.com:" + example.gw().httpsPort() + ":127.0.0.1", "-o", "/dev/null",
                    "-w", "%{http_code} %{http_version} %{num_connects}\n", "https://app.example.com:" + example.gw().httpsPort() + "/curl?n=[1-500]"));
            if (o.exit() != 0) {
                failures.add("curl exit " + o.exit() + ": " + o.stderr());
            }
            for (String line : o.stdout().lines().toList()) {
                if (!line.startsWith("200 2 ")) {
                    failures.add("curl: " + line);
                }
                curlRequests.incrementAndGet();
                curlConnects.addAndGet(Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1)));
            }
        });
        Thread.sleep(1000); // curl's connection is open and busy
        int handshakesBefore = handshakes.size();
        OpenSsl.genSecrets(example.dir()); // the rotation
        rotated.set(true);
        long t0 = System.nanoTime();
        BigInteger newApi = oldApi;
        BigInteger newApp = oldApp;
        while ((newApi.equals(oldApi) || newApp.equals(oldApp)) && System.nanoTime() - t0 < 15_000_000_000L) {
            Thread.sleep(100);
            newApi = sClientSerial("api.example.com");
            newApp = sClientSerial("app.example.com");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Thread.sleep(1000); // more load on the new certificates
        stop.set(true);
        keepAlive.join(15_000);
        newConnections.join(15_000);
        curl.join(30_000);

        // still the same connection, still usable, still its old session
        assertThat(exchange(keptAlive, "api.example.com", "/kept-alive/last", true)).isEqualTo(200);
        assertThat(serial(keptAlive)).isEqualTo(oldApi);
        keptAlive.close();

        System.out.printf("rotation: new certificates served %.1f s after the file changed; kept-alive connection: %d requests "
                        + "(%d after the rotation); new connections: %d handshakes (%d before the rotation); curl: %d requests on %d connection(s)%n",
                seconds, keptAliveRequests.get(), keptAliveAfterRotation.get(), handshakes.size(), handshakesBefore, curlRequests.get(), curlConnects.get());
        assertThat(failures).isEmpty();
        assertThat(newApi).isNotEqualTo(oldApi);
        assertThat(newApp).isNotEqualTo(oldApp);
        assertThat(keptAliveAfterRotation.get()).isGreaterThan(0);
        assertThat(curlRequests.get()).isEqualTo(500);
        assertThat(curlConnects.get()).as("curl's HTTP/2 connection was kept throughout").isEqualTo(1);

        // the new-connection loop: old certificates first, then only the new one
        List<BigInteger> seen = List.copyOf(handshakes);
        assertThat(seen).containsOnly(oldApi, newApi).startsWith(oldApi).endsWith(newApi);
        int firstNew = seen.indexOf(newApi);
        assertThat(seen.subList(firstNew, seen.size())).as("never back to the old certificate").containsOnly(newApi);
        assertThat(seen.size() - firstNew).as("handshakes with the new certificate").isGreaterThan(5);
    }
}
