package dev.ringway.conformance.client;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;

/** The line protocol of the TCP echo server (ECHO.md 5), over TCP or TLS. */
public final class LineClient {
    private LineClient() {}

    /** Greeting plus one reply line per command sent (in order; duplicates keep the last reply). */
    public record Exchange(String welcome, Map<String, String> replies, boolean serverTls) {}

    public static Exchange exchange(InetAddress address, int port, TlsConfig tls, List<String> send, Duration timeout)
            throws TransportException {
        Loopback.require(address);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, port), Http1Client.remaining(deadline));
            plain.setSoTimeout(Http1Client.remaining(deadline));
            Socket s = plain;
            if (tls != null) {
                TlsConfig.Session session = tls.newSession(address);
                SSLSocket ssl = (SSLSocket) session.context().getSocketFactory()
                        .createSocket(plain, address.getHostAddress(), port, true);
                ssl.setSSLParameters(session.parameters(address));
                ssl.setUseClientMode(true);
                ssl.startHandshake();
                s = ssl;
            }
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            String welcome = Http1Client.readLine(in);
            if (welcome == null) {
                throw new TransportException("connection closed before the greeting");
            }
            Map<String, String> replies = new LinkedHashMap<>();
            for (String cmd : send) {
                s.setSoTimeout(Http1Client.remaining(deadline));
                out.write((cmd + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                String reply = Http1Client.readLine(in);
                if (reply == null) {
                    throw new TransportException("connection closed before the reply to " + cmd);
                }
                replies.put(cmd, reply);
            }
            return new Exchange(welcome, replies, tls != null);
        } catch (TransportException e) {
            throw e;
        } catch (Exception e) {
            throw new TransportException("TCP exchange with " + address.getHostAddress() + ":" + port + " failed", e);
        }
    }

    /** Only opens (and closes) a TCP connection. */
    public static void connect(InetAddress address, int port, Duration timeout) throws TransportException {
        Loopback.require(address);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
        } catch (Exception e) {
            throw new TransportException("connect to " + address.getHostAddress() + ":" + port + " failed", e);
        }
    }

    /** Outcome of a handshake that should be rejected (4.2 connectionRejected). */
    public enum Rejection { REJECTED, COMPLETED, OTHER_ERROR }

    /**
     * A TLS 1.2+ handshake with SNI verified against the system roots: a TCP reset or EOF during it is a rejection;
     * a completed handshake or any other error is not.
     */
    public static Rejection handshakeRejected(InetAddress address, int port, String sni, Duration timeout,
                                             StringBuilder detail) throws TransportException {
        Loopback.require(address);
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
            plain.setSoTimeout((int) timeout.toMillis());
            TlsConfig cfg = new TlsConfig(sni, null, null, null, null);
            TlsConfig.Session session = cfg.newSession(address);
            SSLSocket ssl = (SSLSocket) session.context().getSocketFactory()
                    .createSocket(plain, address.getHostAddress(), port, true);
            ssl.setSSLParameters(session.parameters(address));
            ssl.setUseClientMode(true);
            ssl.startHandshake();
            detail.append("handshake completed");
            return Rejection.COMPLETED;
        } catch (java.net.ConnectException e) {
            throw new TransportException("connect failed", e);
        } catch (Exception e) {
            detail.append(TransportException.describe(e));
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.io.EOFException) {
                    return Rejection.REJECTED;
                }
                String m = t.getMessage() == null ? "" : t.getMessage();
                if (t instanceof java.net.SocketException && m.toLowerCase().contains("reset")) {
                    return Rejection.REJECTED;
                }
                if (m.contains("Remote host terminated the handshake") || m.contains("Connection reset")) {
                    return Rejection.REJECTED;
                }
                if (t.getCause() == t) {
                    break;
                }
            }
            return Rejection.OTHER_ERROR;
        }
    }
}
