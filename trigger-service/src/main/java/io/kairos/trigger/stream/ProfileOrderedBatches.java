package io.kairos.trigger.stream;

import io.kairos.trigger.config.TriggerConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Works through a polled batch of records keyed by profile ({@code workspace:profileId}): one
 * profile's records one after another in offset order, since an unless event must meet the wait its
 * entry started, and different profiles at once, up to {@code kairos.trigger.streams.concurrency}.
 * Each record is retried as {@link MessageRetry} says; one that still fails goes to its topic's
 * dead-letter topic with the reason, and its profile's next records go on. The returned Uni
 * completes when every record of the batch has had its effect or is dead-lettered, so the batch's
 * offsets are committed after that.
 */
@ApplicationScoped
public class ProfileOrderedBatches {

    private final MessageRetry retry;
    private final ConsumedDeadLetters deadLetters;
    private final int concurrency;

    public ProfileOrderedBatches(MessageRetry retry, ConsumedDeadLetters deadLetters, TriggerConfig config) {
        this.retry = retry;
        this.deadLetters = deadLetters;
        this.concurrency = config.streams().concurrency();
    }

    /** @param handler the work of one record's value; called again on each retry */
    public Uni<Void> process(ConsumerRecords<String, byte[]> records, Function<byte[], Uni<Void>> handler) {
        Map<String, List<ConsumerRecord<String, byte[]>>> byProfile = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            byProfile.computeIfAbsent(record.key() == null ? "" : record.key(), key -> new ArrayList<>()).add(record);
        }
        if (byProfile.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(byProfile.values())
                .onItem().transformToUni(profileRecords -> Multi.createFrom().iterable(profileRecords)
                        .onItem().transformToUniAndConcatenate(record -> one(record, handler))
                        .collect().last())
                .merge(concurrency)
                .collect().last()
                .replaceWithVoid();
    }

    private Uni<Void> one(ConsumerRecord<String, byte[]> record, Function<byte[], Uni<Void>> handler) {
        return retry.guard(record.topic(), Uni.createFrom().deferred(() -> handler.apply(record.value())))
                .onFailure().recoverWithUni(failure -> deadLetters.send(record, failure));
    }
}
