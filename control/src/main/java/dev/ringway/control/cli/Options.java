package dev.ringway.control.cli;

import dev.ringway.core.translate.TranslatorOptions;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Options shared by {@code run}, {@code validate} and {@code demo}: how to translate. */
public final class Options {
    private Options() {
    }

    public static final class Translation {
        @Option(names = "--controller-name", paramLabel = "NAME",
                description = "GatewayClass controllerName handled by this gateway (default: ${DEFAULT-VALUE})",
                defaultValue = TranslatorOptions.DEFAULT_CONTROLLER_NAME)
        String controllerName;

        @Option(names = "--address-pool", paramLabel = "CIDR",
                description = "give each Gateway without spec.addresses its own IPv4 address from this range "
                        + "(in namespace/name order), e.g. 127.0.10.0/24")
        String addressPool;

        @Option(names = "--bind", paramLabel = "ADDR",
                description = "address Gateways without spec.addresses listen on when no --address-pool is given "
                        + "(default: 0.0.0.0)")
        String bind;

        TranslatorOptions toTranslatorOptions(CommandLine.Model.CommandSpec spec) {
            if (addressPool != null && bind != null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--address-pool and --bind cannot be used together");
            }
            if (addressPool != null) {
                checkCidr(spec, addressPool);
                return new TranslatorOptions(controllerName, new TranslatorOptions.AddressPolicy.Pool(addressPool));
            }
            String ip = bind == null ? "0.0.0.0" : bind;
            try {
                InetAddress.ofLiteral(ip);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--bind " + ip + ": not an IP address");
            }
            return new TranslatorOptions(controllerName, new TranslatorOptions.AddressPolicy.Bind(ip));
        }

        private static void checkCidr(CommandLine.Model.CommandSpec spec, String cidr) {
            int slash = cidr.indexOf('/');
            try {
                if (slash < 0) {
                    throw new IllegalArgumentException("missing /prefix-length");
                }
                InetAddress a = InetAddress.ofLiteral(cidr.substring(0, slash));
                int len = Integer.parseInt(cidr.substring(slash + 1));
                if (!(a instanceof java.net.Inet4Address) || len < 0 || len > 32) {
                    throw new IllegalArgumentException("expected an IPv4 CIDR such as 127.0.10.0/24");
                }
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--address-pool " + cidr + ": " + (e instanceof NumberFormatException ? "bad prefix length"
                                : e.getMessage()));
            }
        }
    }

    /** {@code HOST:PORT} ({@code [v6]:PORT} for IPv6). */
    public static final class HostPort implements CommandLine.ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            int colon = value.lastIndexOf(':');
            if (colon <= 0) {
                throw new CommandLine.TypeConversionException("expected HOST:PORT, got '" + value + "'");
            }
            String host = value.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(value.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("bad port in '" + value + "'");
            }
            if (port < 0 || port > 65535) {
                throw new CommandLine.TypeConversionException("port out of range in '" + value + "'");
            }
            return new InetSocketAddress(host, port);
        }
    }
}
