package io.calsync.platform.outbox;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.OffsetBackingStore;
import org.apache.kafka.connect.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Debezium's offsets in the service's own PostgreSQL ({@code outbox_relay_offsets}, one row per relay) instead of a
 * local file: a replica that takes the relay over continues from the position the previous leader flushed, and the
 * offsets are as durable as the data they describe. (Debezium's own {@code debezium-storage-jdbc} does not resolve
 * at the version used here.)
 *
 * <p>Debezium creates the store by class name ({@code offset.storage}) and configures it with the engine's
 * properties, from which it reads {@link #URL}, {@link #USER}, {@link #PASSWORD} and {@link #NAME}. The row holds a
 * JSON object from offset key to offset value, both the UTF-8 JSON text Debezium's offset converters write. Every
 * read and write runs on one thread with one connection of its own, opened again after a failure.
 */
public class JdbcOffsetBackingStore implements OffsetBackingStore {

    public static final String URL = "offset.storage.jdbc.url";
    public static final String USER = "offset.storage.jdbc.user";
    public static final String PASSWORD = "offset.storage.jdbc.password";
    /** The row's name: the engine's name, so that every relay keeps its own offsets. */
    public static final String NAME = "offset.storage.jdbc.name";

    private static final Logger log = LoggerFactory.getLogger(JdbcOffsetBackingStore.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, String>> OFFSETS = new TypeReference<>() {};

    private PostgresEndpoint endpoint;
    private String name;
    private ExecutorService executor;
    private Connection connection;
    /** Only read and replaced on the executor's thread. */
    private Map<ByteBuffer, ByteBuffer> data = Map.of();

    @Override
    public void configure(WorkerConfig config) {
        Map<String, Object> originals = config.originals();
        endpoint = PostgresEndpoint.of(
                string(originals, URL), (String) originals.get(USER), (String) originals.get(PASSWORD));
        name = string(originals, NAME);
    }

    private static String string(Map<String, Object> originals, String key) {
        Object value = originals.get(key);
        if (value == null || value.toString().isBlank()) {
            throw new ConnectException(key + " is required by " + JdbcOffsetBackingStore.class.getSimpleName());
        }
        return value.toString();
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "outbox-offsets-" + name);
            t.setDaemon(true);
            return t;
        });
        try {
            executor.submit(this::load).get();
        } catch (Exception e) {
            stop();
            throw new ConnectException("could not read the relay's offsets from outbox_relay_offsets", e);
        }
    }

    @Override
    public synchronized void stop() {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("offset store {} did not finish its last write in time", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
        executor = null;
    }

    @Override
    public Future<Map<ByteBuffer, ByteBuffer>> get(Collection<ByteBuffer> keys) {
        return executor.submit(() -> {
            Map<ByteBuffer, ByteBuffer> result = new HashMap<>();
            for (ByteBuffer key : keys) {
                result.put(key, data.get(key));
            }
            return result;
        });
    }

    @Override
    public Future<Void> set(Map<ByteBuffer, ByteBuffer> values, Callback<Void> callback) {
        return executor.submit(() -> {
            Map<ByteBuffer, ByteBuffer> next = new HashMap<>(data);
            values.forEach((k, v) -> {
                if (v == null) {
                    next.remove(k);
                } else {
                    next.put(k, v);
                }
            });
            try {
                save(next);
                data = next;
                if (callback != null) {
                    callback.onCompletion(null, null);
                }
            } catch (SQLException | RuntimeException e) {
                closeConnection(); // the next write reconnects
                if (callback != null) {
                    callback.onCompletion(e, null);
                }
                throw e;
            }
            return null;
        });
    }

    /**
     * The source partitions of one connector, as Kafka Connect's offsets API asks for them. Offset keys are the JSON
     * arrays {@code [connectorName, partition]} that Debezium's key converter writes.
     */
    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        try {
            return executor.submit(() -> {
                        Set<Map<String, Object>> partitions = new HashSet<>();
                        for (ByteBuffer key : data.keySet()) {
                            List<?> parts = JSON.readValue(text(key), List.class);
                            if (parts.size() == 2
                                    && connectorName.equals(parts.get(0))
                                    && parts.get(1) instanceof Map<?, ?> p) {
                                @SuppressWarnings("unchecked")
                                Map<String, Object> partition = (Map<String, Object>) p;
                                partitions.add(partition);
                            }
                        }
                        return partitions;
                    })
                    .get();
        } catch (Exception e) {
            throw new ConnectException("could not list the partitions of " + connectorName, e);
        }
    }

    private Void load() throws SQLException {
        try (PreparedStatement ps =
                connection().prepareStatement("SELECT offsets::text FROM outbox_relay_offsets WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                Map<ByteBuffer, ByteBuffer> loaded = new HashMap<>();
                if (rs.next()) {
                    JSON.readValue(rs.getString(1), OFFSETS).forEach((k, v) -> loaded.put(bytes(k), bytes(v)));
                }
                data = loaded;
                log.info("outbox relay {} resumes from {} stored offset(s)", name, loaded.size());
            }
        }
        return null;
    }

    private void save(Map<ByteBuffer, ByteBuffer> offsets) throws SQLException {
        Map<String, String> json = new LinkedHashMap<>();
        offsets.forEach((k, v) -> json.put(text(k), text(v)));
        try (PreparedStatement ps = connection()
                .prepareStatement(
                        "INSERT INTO outbox_relay_offsets (name, offsets, updated_at) VALUES (?, ?::jsonb, now())"
                                + " ON CONFLICT (name) DO UPDATE SET offsets = excluded.offsets, updated_at = now()")) {
            ps.setString(1, name);
            ps.setString(2, JSON.writeValueAsString(json));
            ps.executeUpdate();
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = endpoint.connect("calsync-outbox-offsets:" + name);
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it is being dropped anyway
            }
            connection = null;
        }
    }

    /** Offsets are JSON text; decoding is strict so that anything else fails loudly instead of being mangled. */
    static String text(ByteBuffer buffer) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(buffer.duplicate())
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("an offset that is not UTF-8 text cannot be stored as JSON", e);
        }
    }

    static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
