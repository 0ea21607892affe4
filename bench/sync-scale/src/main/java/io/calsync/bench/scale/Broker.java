package io.calsync.bench.scale;

import io.calsync.model.messaging.CalendarMessage;
import io.calsync.model.messaging.MessageCodec;
import io.calsync.model.messaging.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The broker as the benchmark sees it: publishing messages as the gateway and webhook-ingest do (topic and key from the
 * message, type and event id as headers, acks=all), and the consumer group of a round through the admin client: its
 * starting offsets, its state and members, which partitions each member holds.
 */
final class Broker implements AutoCloseable {

    /** The topics sync-service consumes (one listener, one group). */
    static final List<String> WORK = List.of(
            Topics.SYNC_REQUESTS, Topics.PROVIDER_NOTIFICATIONS, Topics.EVENT_COMMANDS, Topics.SUBSCRIPTION_LIFECYCLE);

    static final List<String> DEAD_LETTERS = WORK.stream().map(Topics::dlt).toList();

    /** A group as described at one moment. */
    record Group(String state, List<Member> members) {
        boolean stable(int expectedMembers) {
            return "STABLE".equals(state)
                    && members.size() == expectedMembers
                    && members.stream().mapToInt(m -> m.partitions().size()).sum() == Topics.PARTITIONS * WORK.size();
        }
    }

    /** One consumer of the group: its client id names the instance ({@code <instance>-<thread>}). */
    record Member(String clientId, List<TopicPartition> partitions) {
        long of(String topic) {
            return partitions.stream().filter(p -> p.topic().equals(topic)).count();
        }
    }

    private final Admin admin;
    private final KafkaProducer<String, byte[]> producer;

    Broker(String bootstrap) {
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class));
    }

    /**
     * Publishes every message at once and waits for the broker's acknowledgements; the partition of each, in order.
     */
    List<Integer> publish(List<? extends CalendarMessage> messages) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>(messages.size());
        for (CalendarMessage m : messages) {
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(m.topic(), m.key(), MessageCodec.encodeBytes(m));
            r.headers().add(MessageCodec.TYPE_HEADER, m.type().getBytes(StandardCharsets.UTF_8));
            r.headers().add(MessageCodec.EVENT_ID_HEADER, m.eventId().toString().getBytes(StandardCharsets.UTF_8));
            sent.add(producer.send(r));
        }
        producer.flush();
        List<Integer> partitions = new ArrayList<>(sent.size());
        for (Future<RecordMetadata> f : sent) {
            partitions.add(f.get().partition());
        }
        return partitions;
    }

    /** The end offsets of those of {@code topics} that exist. */
    Map<TopicPartition, Long> endOffsets(Collection<String> topics) throws Exception {
        Set<String> existing = admin.listTopics().names().get();
        List<String> present = topics.stream().filter(existing::contains).toList();
        if (present.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (TopicDescription d :
                admin.describeTopics(present).allTopicNames().get().values()) {
            d.partitions().forEach(p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
        }
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(request).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /** Records in the dead-letter topics of the work topics: any growth during a round is work given up. */
    long deadLettered() throws Exception {
        return endOffsets(DEAD_LETTERS).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /**
     * Commits the current end of every work topic for a group nobody has joined yet, so that its members start
     * there: with {@code auto.offset.reset=earliest} (the services' default) a new group would otherwise first read
     * whatever earlier runs and the other round left on a reused broker. On a fresh broker the topics do not exist
     * yet and are empty once the service creates them: nothing to skip.
     */
    int startAtEnd(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = endOffsets(WORK).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue())));
        if (!offsets.isEmpty()) {
            admin.alterConsumerGroupOffsets(group, offsets).all().get();
        }
        return offsets.size();
    }

    Group describe(String group) throws Exception {
        ConsumerGroupDescription d;
        try {
            d = admin.describeConsumerGroups(List.of(group))
                    .describedGroups()
                    .get(group)
                    .get();
        } catch (ExecutionException e) {
            return new Group("UNKNOWN", List.of());
        }
        GroupState state = d.groupState();
        List<Member> members = new ArrayList<>();
        for (MemberDescription m : d.members()) {
            List<TopicPartition> ps = new ArrayList<>(m.assignment().topicPartitions());
            ps.sort((a, b) -> a.topic().equals(b.topic())
                    ? Integer.compare(a.partition(), b.partition())
                    : a.topic().compareTo(b.topic()));
            members.add(new Member(m.clientId(), ps));
        }
        members.sort((a, b) -> a.clientId().compareTo(b.clientId()));
        return new Group(state == null ? "UNKNOWN" : state.name(), members);
    }

    /**
     * Waits until the group is STABLE with {@code members} consumers holding every partition of the work topics, and
     * stays so for {@code settle}: a cooperative rebalance takes more than one round, with STABLE moments between.
     */
    Group awaitStable(String group, int members, Duration settle, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long stableSince = 0;
        Group g = describe(group);
        while (System.nanoTime() < deadline) {
            g = describe(group);
            if (g.stable(members)) {
                if (stableSince == 0) {
                    stableSince = System.nanoTime();
                } else if (System.nanoTime() - stableSince >= settle.toNanos()) {
                    return g;
                }
            } else {
                stableSince = 0;
            }
            Thread.sleep(250);
        }
        throw new SyncScaleBench.BenchFailure("consumer group " + group + " did not settle with " + members
                + " members within " + timeout.toSeconds() + " s; last seen " + g.state() + " with "
                + g.members().size() + " members");
    }

    /** Partitions of {@code topic} per instance (the client id without its thread suffix). */
    static Map<String, Long> perInstance(Group g, String topic) {
        Map<String, Long> out = new TreeMap<>();
        for (Member m : g.members()) {
            String id = m.clientId();
            int dash = id.lastIndexOf('-');
            String instance = dash > 0 && id.substring(dash + 1).chars().allMatch(Character::isDigit)
                    ? id.substring(0, dash)
                    : id;
            out.merge(instance, m.of(topic), Long::sum);
        }
        return out;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
