package io.calsync.sandbox;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The sandbox started in-process, for tests: {@code try (var sandbox = SandboxServer.start()) { ... }}. */
public final class SandboxServer implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final int port;

    private SandboxServer(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    /** Starts on a free port with auto-approved consent. */
    public static SandboxServer start() {
        return start(Map.of());
    }

    public static SandboxServer start(Map<String, Object> properties) {
        Map<String, Object> props = new HashMap<>();
        props.put("server.port", "0");
        props.put("server.address", "127.0.0.1");
        props.put("sandbox.auto-approve", "true");
        props.put("spring.main.banner-mode", "off");
        props.putAll(properties);
        // As command-line arguments: default properties would lose against application.yml (server.port: 8090).
        String[] args = props.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SandboxServer(new SpringApplicationBuilder(SandboxApplication.class).run(args));
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
