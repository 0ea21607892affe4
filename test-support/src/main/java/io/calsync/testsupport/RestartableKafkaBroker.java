package io.calsync.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node KRaft broker in this JVM that a test can stop and start again on the same port with the same log
 * directory, which the shared broker of {@code TestInfrastructure} (spring-kafka-test's test kit) cannot do. It is
 * Kafka's own server class ({@link KafkaRaftServer}, what {@code kafka.Kafka} runs), formatted once with {@link
 * StorageTool}; a stop is the graceful shutdown of a real broker, so what it acknowledged is in its log when it comes
 * back.
 */
public final class RestartableKafkaBroker implements AutoCloseable {

    private final Path dir;
    private final Properties config;
    private final int port;
    private KafkaRaftServer server;

    private RestartableKafkaBroker(Path dir, Properties config, int port) {
        this.dir = dir;
        this.config = config;
        this.port = port;
    }

    public static RestartableKafkaBroker start() {
        try {
            Path dir = Files.createTempDirectory("calsync-restartable-kafka");
            int port = freePort();
            int controllerPort = freePort();
            Properties p = new Properties();
            p.put("process.roles", "broker,controller");
            p.put("node.id", "1");
            p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
            p.put("controller.listener.names", "CONTROLLER");
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("log.dirs", dir.resolve("data").toString());
            p.put("offsets.topic.replication.factor", "1");
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("share.coordinator.state.topic.replication.factor", "1");
            p.put("share.coordinator.state.topic.min.isr", "1");
            p.put("group.initial.rebalance.delay.ms", "0");
            p.put("auto.create.topics.enable", "false");
            Path file = dir.resolve("server.properties");
            try (Writer w = Files.newBufferedWriter(file)) {
                p.store(w, "restartable test broker");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = StorageTool.execute(
                    new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", file.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            if (status != 0) {
                throw new IllegalStateException("formatting the broker's log directory failed: " + out);
            }
            RestartableKafkaBroker broker = new RestartableKafkaBroker(dir, p, port);
            broker.startServer();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public synchronized boolean running() {
        return server != null;
    }

    /** A graceful shutdown: the port closes and the log is flushed, as when an operator stops a broker. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** A new server on the same port and log directory. */
    public synchronized void restart() {
        if (server == null) {
            startServer();
        }
    }

    private void startServer() {
        KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        s.startup();
        server = s;
    }

    @Override
    public synchronized void close() throws IOException {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
