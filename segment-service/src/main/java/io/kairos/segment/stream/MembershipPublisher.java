package io.kairos.segment.stream;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Drains the membership outbox of a profile to {@code kairos.segments.membership}, in the order the
 * changes were recorded. A change leaves the outbox only after Kafka acknowledged it (acks=all).
 */
@ApplicationScoped
public class MembershipPublisher {

    @Inject
    Pool pool;

    @Inject
    @Channel("segment-membership")
    MutinyEmitter<byte[]> emitter;

    public Uni<Void> publishPending(String workspace, String profileId) {
        String key = workspace + ":" + profileId;
        // The advisory lock keeps two drains of one profile (stream, API, relay) from reordering its changes.
        return pool.withTransaction(conn -> conn.preparedQuery("select pg_advisory_xact_lock(hashtextextended($1, 0))")
                .execute(Tuple.of(key))
                .chain(() -> conn.preparedQuery("""
                                select seq, payload from membership_outbox
                                where workspace = $1 and profile_id = $2 order by seq""")
                        .execute(Tuple.of(workspace, profileId)))
                .chain(rows -> {
                    List<Row> pending = new ArrayList<>();
                    rows.forEach(pending::add);
                    if (pending.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    Long[] published = pending.stream().map(row -> row.getLong("seq")).toArray(Long[]::new);
                    return Multi.createFrom().iterable(pending)
                            .onItem().transformToUniAndConcatenate(row ->
                                    emitter.sendMessage(KafkaRecord.of(key, row.getBuffer("payload").getBytes())))
                            .collect().last()
                            .chain(() -> conn.preparedQuery("delete from membership_outbox where seq = any($1)")
                                    .execute(Tuple.tuple().addArrayOfLong(published)))
                            .replaceWithVoid();
                }));
    }

    public Uni<Void> publishPending(String workspace, Collection<String> profileIds) {
        return Multi.createFrom().iterable(profileIds)
                .onItem().transformToUniAndConcatenate(pid -> publishPending(workspace, pid))
                .collect().last()
                .replaceWithVoid();
    }
}
