package dev.billing.gateway.entitlement;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Feeds the {@link EntitlementView} from the topic on a thread of its own (never an event loop).
 * No consumer group: it assigns itself every partition and reads each from the beginning on every
 * start, commits nothing, so every replica, restarted or added, builds the whole view without
 * asking any service. It is {@linkplain #ready() ready} once it has read up to the end offsets
 * the partitions had when it started (at once when the topic does not exist yet).
 */
public class EntitlementFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EntitlementFeed.class);

    private final EntitlementView view;
    private final Map<String, Object> consumerConfig;
    private final EntitlementProperties props;
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    /**
     * @param kafka consumer settings (bootstrap servers, security, isolation level); group and
     *     offset settings are replaced
     */
    public EntitlementFeed(EntitlementView view, Map<String, Object> kafka, EntitlementProperties props) {
        this.view = view;
        this.props = props;
        Map<String, Object> config = new HashMap<>(kafka);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "gateway-entitlements-" + UUID.randomUUID());
        config.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumerConfig = Map.copyOf(config);
    }

    /** True once the view holds everything the topic held when this feed started. */
    public boolean ready() {
        return caughtUp.isDone();
    }

    /** Completes when {@link #ready()}; cancelling what it returns does not affect the feed. */
    public CompletableFuture<Void> whenReady() {
        return caughtUp.copy();
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("entitlements-feed").daemon().start(this::run);
    }

    @Override
    public synchronized void stop() {
        running = false;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerConfig)) {
                consumer = c;
                consume(c);
            } catch (WakeupException e) {
                // stopping
            } catch (KafkaException | IllegalStateException e) {
                if (running) {
                    log.warn(
                            "reading {} failed, trying again in {}: {}",
                            props.topic(),
                            props.retryBackoff(),
                            e.toString());
                    pause(props.retryBackoff());
                }
            } finally {
                consumer = null;
            }
        }
    }

    private void consume(KafkaConsumer<String, String> c) {
        Set<TopicPartition> assigned = new HashSet<>();
        Map<TopicPartition, Long> targets = null;
        long nextLookup = 0;
        while (running) {
            if (System.nanoTime() - nextLookup >= 0) {
                List<TopicPartition> found = partitions(c);
                nextLookup = System.nanoTime()
                        + (found.isEmpty() ? props.retryBackoff() : props.metadataRefresh()).toNanos();
                List<TopicPartition> added = new ArrayList<>(found);
                added.removeAll(assigned);
                if (!added.isEmpty()) {
                    assigned.addAll(added);
                    c.assign(assigned);
                    c.seekToBeginning(added);
                    log.info("reading {} from the beginning: partitions {}", props.topic(), added);
                }
                if (targets == null) {
                    // what "caught up" means: the end offsets when this feed first saw the topic
                    targets = found.isEmpty() ? Map.of() : c.endOffsets(found);
                }
            }
            if (!assigned.isEmpty()) {
                for (ConsumerRecord<String, String> record : c.poll(props.pollTimeout())) {
                    view.apply(record.key(), record.value());
                }
            } else {
                pause(props.pollTimeout());
            }
            if (!caughtUp.isDone() && targets != null && reached(c, targets)) {
                log.info("entitlement view caught up with {}: {} users", props.topic(), view.size());
                caughtUp.complete(null);
            }
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, String> c) {
        var infos = c.partitionsFor(props.topic(), Duration.ofSeconds(5));
        return infos == null
                ? List.of()
                : infos.stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
    }

    private static boolean reached(KafkaConsumer<String, String> c, Map<TopicPartition, Long> targets) {
        for (var target : targets.entrySet()) {
            if (c.position(target.getKey(), Duration.ofSeconds(5)) < target.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
