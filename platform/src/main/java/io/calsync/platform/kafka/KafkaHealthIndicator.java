package io.calsync.platform.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Readiness of the broker: UP when the cluster answers within the timeout. A service that started while the broker
 * was down could not create its topics then; the first UP answer creates them.
 */
public class KafkaHealthIndicator extends AbstractHealthIndicator implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(KafkaHealthIndicator.class);

    private final KafkaAdmin kafkaAdmin;
    private final Duration timeout;
    private final AtomicBoolean topicsEnsured = new AtomicBoolean();
    private volatile AdminClient client;

    public KafkaHealthIndicator(KafkaAdmin kafkaAdmin, Duration timeout) {
        super("Kafka health check failed");
        this.kafkaAdmin = kafkaAdmin;
        this.timeout = timeout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        Collection<Node> nodes = admin().describeCluster(
                        new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                .nodes()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!topicsEnsured.get()) {
            boolean created = kafkaAdmin.initialize();
            topicsEnsured.set(created);
            if (!created) {
                builder.down().withDetail("topics", "not yet created");
                return;
            }
            log.info("kafka topics verified");
        }
        builder.up().withDetail("nodes", nodes.size());
    }

    private AdminClient admin() {
        AdminClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = AdminClient.create(kafkaAdmin.getConfigurationProperties());
                }
                c = client;
            }
        }
        return c;
    }

    @Override
    public void destroy() {
        AdminClient c = client;
        if (c != null) {
            c.close(Duration.ofSeconds(2));
        }
    }
}
