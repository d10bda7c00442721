package dev.ringway.control;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** The actor system's configuration: logging through SLF4J, and a dispatcher for translations. */
public final class PekkoConfig {
    private PekkoConfig() {
    }

    /** Dispatcher of the reconciler and publisher (CPU-bound translations off the default pool). */
    public static final String CONTROL_DISPATCHER = "ringway.control-dispatcher";

    public static Config config() {
        return ConfigFactory.parseString("""
                pekko {
                  loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                  logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
                  loglevel = "INFO"
                  stdout-loglevel = "OFF"
                  log-dead-letters = 0
                  log-dead-letters-during-shutdown = off
                  actor.default-dispatcher.fork-join-executor { parallelism-min = 2, parallelism-max = 4 }
                  coordinated-shutdown.run-by-jvm-shutdown-hook = off
                }
                ringway.control-dispatcher {
                  type = Dispatcher
                  executor = "thread-pool-executor"
                  thread-pool-executor.fixed-pool-size = 2
                  throughput = 1
                }
                """).withFallback(ConfigFactory.load());
    }
}
