/**
 * Local stand-ins for the backends of the Gateway API conformance suite, as {@code shared/conformance/ECHO.md}
 * describes them: {@link dev.ringway.io.echo.HttpEchoServer} (section 3: HTTP/1.1, h2c, HTTPS, WebSocket),
 * {@link dev.ringway.io.echo.GrpcEchoServer} (section 4), {@link dev.ringway.io.echo.TcpEchoServer} (section 5),
 * {@link dev.ringway.io.echo.UdpEchoServer} (section 6) and {@link dev.ringway.io.echo.DnsEchoServer} (section 7).
 *
 * <p>All servers run on the event loops of an {@link dev.ringway.io.echo.EchoRuntime}, whose
 * {@link dev.ringway.io.echo.EchoTransport} (io_uring, epoll or NIO) the caller picks; one runtime can carry any
 * number of servers. Each server reports the {@link dev.ringway.io.echo.EchoIdentity} of the Pod it stands for,
 * binds where it is told (port 0: ephemeral) and is closed with {@code close()}, which also closes its open
 * connections.
 */
package dev.ringway.io.echo;
