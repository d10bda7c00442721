package dev.ringway.conformance.client;

import dev.ringway.conformance.model.Protocol;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 over a raw socket (plain or TLS), one connection per request: the request line, Host and header lines are
 * written exactly as given (java.net.http would rewrite Host).
 */
public final class Http1Client {
    private Http1Client() {}

    public static HttpResult send(HttpCall call) throws TransportException {
        Loopback.require(call.address());
        long deadline = System.nanoTime() + call.timeout().toNanos();
        TlsConfig.Session session = null;
        try (Socket plain = new Socket()) {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(call.address(), call.port()), remaining(deadline));
            plain.setSoTimeout(remaining(deadline));
            Socket s = plain;
            if (call.protocol() == Protocol.HTTPS) {
                session = call.tls().newSession(call.address());
                SSLSocket ssl = (SSLSocket) session.context().getSocketFactory()
                        .createSocket(plain, call.address().getHostAddress(), call.port(), true);
                ssl.setSSLParameters(session.parameters(call.address()));
                ssl.setUseClientMode(true);
                ssl.startHandshake();
                s = ssl;
            }
            OutputStream out = s.getOutputStream();
            out.write(head(call));
            if (call.body() != null) {
                out.write(call.body());
            }
            out.flush();
            InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            HttpResult r = readResponse(in, call.method(), s, deadline);
            return new HttpResult(r.status(), r.protocol(), r.headers(), r.body(),
                    session != null && session.clientCertRequested().get());
        } catch (TransportException e) {
            throw e;
        } catch (SocketTimeoutException e) {
            throw new TransportException("timeout after " + call.timeout().toMillis() + " ms", e);
        } catch (Exception e) {
            String where = session != null ? " (client certificate requested: " + session.clientCertRequested().get() + ")" : "";
            throw new TransportException("HTTP/1.1 exchange with " + call.address().getHostAddress() + ":"
                    + call.port() + " failed" + where, e);
        }
    }

    static int remaining(long deadline) throws SocketTimeoutException {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw new SocketTimeoutException("deadline exceeded");
        }
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    static byte[] head(HttpCall call) {
        StringBuilder sb = new StringBuilder();
        sb.append(call.method()).append(' ').append(call.target()).append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(call.authority()).append("\r\n");
        boolean hasLength = false;
        for (HttpCall.Header h : call.headers()) {
            sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
            hasLength |= h.name().equalsIgnoreCase("content-length");
        }
        if (call.body() != null && !hasLength) {
            sb.append("Content-Length: ").append(call.body().length).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static HttpResult readResponse(InputStream in, String method, Socket s, long deadline) throws IOException {
        while (true) {
            s.setSoTimeout(remaining(deadline));
            String statusLine = readLine(in);
            if (statusLine == null) {
                throw new TransportException("connection closed before a response");
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new TransportException("malformed status line '" + statusLine + "'");
            }
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new TransportException("malformed status line '" + statusLine + "'");
            }
            List<HttpCall.Header> headers = readHeaders(in);
            if (status >= 100 && status < 200 && status != 101) {
                continue; // interim response
            }
            byte[] body = readBody(in, method, status, headers);
            return new HttpResult(status, parts[0], List.copyOf(headers), body, false);
        }
    }

    static List<HttpCall.Header> readHeaders(InputStream in) throws IOException {
        List<HttpCall.Header> headers = new ArrayList<>();
        while (true) {
            String line = readLine(in);
            if (line == null) {
                throw new TransportException("connection closed in the response headers");
            }
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new TransportException("malformed header line '" + line + "'");
            }
            headers.add(new HttpCall.Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
        }
    }

    private static byte[] readBody(InputStream in, String method, int status, List<HttpCall.Header> headers)
            throws IOException {
        if (method.equals("HEAD") || status == 204 || status == 304 || status == 101) {
            return new byte[0];
        }
        String te = null;
        String cl = null;
        for (HttpCall.Header h : headers) {
            if (h.name().equalsIgnoreCase("transfer-encoding")) {
                te = h.value();
            } else if (h.name().equalsIgnoreCase("content-length")) {
                cl = h.value();
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            while (true) {
                String size = readLine(in);
                if (size == null) {
                    throw new TransportException("connection closed in a chunked body");
                }
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                if (n == 0) {
                    while (true) { // trailers
                        String t = readLine(in);
                        if (t == null || t.isEmpty()) {
                            break;
                        }
                    }
                    return body.toByteArray();
                }
                body.write(readN(in, n));
                readLine(in);
            }
        }
        if (cl != null) {
            return readN(in, Integer.parseInt(cl.trim()));
        }
        byte[] buf = new byte[8192];
        int r;
        while ((r = in.read(buf)) >= 0) {
            body.write(buf, 0, r);
        }
        return body.toByteArray();
    }

    static byte[] readN(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new EOFException("body truncated: " + b.length + " of " + n + " bytes");
        }
        return b;
    }

    /** A CRLF- (or LF-) terminated line; null at EOF before any byte. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] a = b.toByteArray();
                int len = a.length > 0 && a[a.length - 1] == '\r' ? a.length - 1 : a.length;
                return new String(a, 0, len, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
            if (b.size() > 65536) {
                throw new TransportException("line too long");
            }
        }
        if (b.size() == 0) {
            return null;
        }
        throw new EOFException("connection closed mid-line");
    }
}
