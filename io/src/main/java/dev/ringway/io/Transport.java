package dev.ringway.io;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A Netty transport: the I/O handler factory and the channel classes that go with it.
 * {@code reusePort} says whether SO_REUSEPORT can be set, in which case the data plane binds one
 * listening socket per event loop and the kernel spreads connections across them.
 */
public record Transport(String name, Supplier<IoHandlerFactory> ioHandlerFactory,
                        Class<? extends ServerSocketChannel> serverChannel,
                        Class<? extends SocketChannel> socketChannel,
                        Class<? extends DatagramChannel> datagramChannel, boolean reusePort) {

    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

    public static final String IO_URING = "io_uring";
    public static final String EPOLL = "epoll";
    public static final String NIO = "nio";

    public static Transport ioUring() {
        return new Transport(IO_URING, IoUringIoHandler::newFactory, IoUringServerSocketChannel.class,
                IoUringSocketChannel.class, IoUringDatagramChannel.class, true);
    }

    public static Transport epoll() {
        return new Transport(EPOLL, EpollIoHandler::newFactory, EpollServerSocketChannel.class,
                EpollSocketChannel.class, EpollDatagramChannel.class, true);
    }

    public static Transport nio() {
        return new Transport(NIO, NioIoHandler::newFactory, NioServerSocketChannel.class, NioSocketChannel.class,
                NioDatagramChannel.class, false);
    }

    /** Whether the named transport can be used here. */
    public static boolean isAvailable(String name) {
        return unavailabilityCause(name) == null;
    }

    /** Why the named transport cannot be used, or null when it can. */
    public static Throwable unavailabilityCause(String name) {
        try {
            return switch (name) {
                case IO_URING -> IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
                case EPOLL -> Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
                case NIO -> null;
                default -> new IllegalArgumentException("unknown transport " + name);
            };
        } catch (Throwable t) { // a missing native library can surface as a LinkageError
            return t;
        }
    }

    /** The transports usable on this machine, best first. */
    public static List<String> available() {
        List<String> out = new ArrayList<>();
        for (String n : List.of(IO_URING, EPOLL, NIO)) {
            if (isAvailable(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /**
     * Chooses the transport for {@code --transport}: {@code auto} is io_uring, else epoll, else NIO.
     * An explicit choice that is unavailable fails. Logs the choice and why the others are not used.
     */
    public static Transport select(String choice) {
        String c = choice == null ? "auto" : choice.toLowerCase(Locale.ROOT).replace('-', '_');
        if (c.equals("iouring")) {
            c = IO_URING;
        }
        String chosen;
        if (c.equals("auto")) {
            chosen = isAvailable(IO_URING) ? IO_URING : isAvailable(EPOLL) ? EPOLL : NIO;
        } else if (c.equals(IO_URING) || c.equals(EPOLL) || c.equals(NIO)) {
            Throwable cause = unavailabilityCause(c);
            if (cause != null) {
                throw new IllegalStateException("transport " + c + " is not available: " + cause, cause);
            }
            chosen = c;
        } else {
            throw new IllegalArgumentException("unknown transport '" + choice + "' (auto, io_uring, epoll, nio)");
        }
        LOG.info("transport: {} (requested {})", chosen, c);
        for (String other : List.of(IO_URING, EPOLL)) {
            if (!other.equals(chosen)) {
                Throwable cause = unavailabilityCause(other);
                LOG.info("transport {} not used: {}", other, cause == null ? "available, not selected" : cause.toString());
            }
        }
        return switch (chosen) {
            case IO_URING -> ioUring();
            case EPOLL -> epoll();
            default -> nio();
        };
    }
}
