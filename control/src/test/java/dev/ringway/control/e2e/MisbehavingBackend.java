package dev.ringway.control.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backend that behaves badly on purpose, one virtual thread per connection: {@link Mode#SLOW} answers
 * every request only after a delay; {@link Mode#FAILING} answers every other request with a 500 and resets
 * the connection (RST, no answer) on the others. Counts connections (now and at most) and requests.
 */
final class MisbehavingBackend implements AutoCloseable {
    enum Mode { SLOW, FAILING }

    private final ServerSocket server;
    private final Mode mode;
    private final Duration delay;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private volatile boolean closed;

    private MisbehavingBackend(ServerSocket server, Mode mode, Duration delay) {
        this.server = server;
        this.mode = mode;
        this.delay = delay;
    }

    static MisbehavingBackend start(String ip, int port, Mode mode, Duration delay) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.ofLiteral(ip), port), 4096);
        MisbehavingBackend b = new MisbehavingBackend(s, mode, delay);
        Thread.ofVirtual().name("misbehaving-accept-" + mode).start(b::accept);
        return b;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket c = server.accept();
                open.add(c);
                connections.incrementAndGet();
                maxOpen.accumulateAndGet(open.size(), Math::max);
                Thread.ofVirtual().start(() -> serve(c));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("misbehaving backend: " + e);
                }
            }
        }
    }

    private void serve(Socket c) {
        try (c) {
            InputStream in = c.getInputStream();
            OutputStream out = c.getOutputStream();
            while (true) {
                if (!readHead(in)) {
                    return;
                }
                long n = requests.incrementAndGet();
                if (mode == Mode.SLOW) {
                    Thread.sleep(delay);
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nslow".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } else if (n % 2 == 0) {
                    out.write("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nfail".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } else {
                    c.setSoLinger(true, 0); // close() sends RST
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the gateway gave up on the mirror: fine
        } finally {
            open.remove(c);
        }
    }

    /** Reads one request head (mirrors of GETs have no body); false at end of stream. */
    private static boolean readHead(InputStream in) throws IOException {
        int state = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            state = switch (state) {
                case 0, 2 -> b == '\r' ? state + 1 : 0;
                case 1 -> b == '\n' ? 2 : 0;
                case 3 -> b == '\n' ? 4 : 0;
                default -> 0;
            };
            if (state == 4) {
                return true;
            }
        }
    }

    int openConnections() {
        return open.size();
    }

    int maxOpenConnections() {
        return maxOpen.get();
    }

    long connections() {
        return connections.get();
    }

    long requests() {
        return requests.get();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
