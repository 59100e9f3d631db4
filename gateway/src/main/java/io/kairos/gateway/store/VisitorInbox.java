package io.kairos.gateway.store;

import io.kairos.gateway.domain.InAppMessage;
import io.kairos.gateway.domain.InboxPosition;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Each visitor's in-app inbox: a Redis stream per profile, capped at about
 * {@code kairos.in-app.max-length} messages and forgotten after
 * {@code kairos.in-app.retention} without a new one. Stream entry ids are the SSE event
 * ids, so a reconnecting client resumes exactly where it left off. Every new entry is announced
 * on the profile's notification channel, which the gateway instances holding that visitor's
 * connections listen to ({@link InboxNotifications}).
 * <p>
 * The keys of one profile share the hash tag {@code {<workspace>:<profileId>}}, so the append
 * script's keys sit in one slot of a Redis Cluster.
 */
@ApplicationScoped
public class VisitorInbox {

    private static final String PREFIX = "kairos:gateway:";

    /**
     * Deduplication, append, expiry and announcement in one step: a firing delivered again
     * (Kafka redelivers after a crash before the offset commit) is recognised by its firing id
     * and neither appended nor announced twice. Returns the new entry's id, or nil for a
     * firing already in the inbox.
     */
    private static final String APPEND = """
            if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) then
              return false
            end
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*',
              'firingId', ARGV[4], 'triggerId', ARGV[5], 'message', ARGV[6], 'firedAt', ARGV[7])
            redis.call('EXPIRE', KEYS[1], ARGV[2])
            redis.call('PUBLISH', ARGV[3], id)
            return id
            """;

    /** The inbox goes at once; returns how many messages it held. */
    private static final String ERASE = """
            local held = redis.call('XLEN', KEYS[1])
            redis.call('DEL', KEYS[1])
            return held
            """;

    private final ReactiveRedisDataSource redis;
    private final ReactiveStreamCommands<String, String, String> streams;
    private final int maxLength;
    private final Duration retention;

    public VisitorInbox(ReactiveRedisDataSource redis,
                        @ConfigProperty(name = "kairos.in-app.max-length", defaultValue = "100") int maxLength,
                        @ConfigProperty(name = "kairos.in-app.retention", defaultValue = "P7D") Duration retention) {
        this.redis = redis;
        this.streams = redis.stream(String.class);
        this.maxLength = maxLength;
        this.retention = retention;
    }

    /** How long an inbox keeps messages after its last new one. */
    public Duration retention() {
        return retention;
    }

    /** Appends the message, unless its firing is in the inbox already: then empty. */
    public Uni<Optional<InboxPosition>> append(InAppMessage message) {
        String profile = profileTag(message.workspace(), message.profileId());
        return redis.execute("EVAL", APPEND, "2",
                        PREFIX + "inbox:" + profile,
                        PREFIX + "inbox-firing:" + profile + ":" + message.firingId(),
                        String.valueOf(maxLength),
                        String.valueOf(retention.toSeconds()),
                        notificationChannel(message.workspace(), message.profileId()),
                        message.firingId(),
                        message.triggerId(),
                        message.messageJson(),
                        String.valueOf(message.firedAt().toEpochMilli()))
                .map(id -> id == null ? Optional.empty() : Optional.of(InboxPosition.parse(id.toString(), "/id")));
    }

    /** Up to {@code count} entries after {@code position}, oldest first. */
    public Uni<List<InboxEntry>> after(String workspace, String profileId, InboxPosition position, int count) {
        return streams.xrange(streamKey(workspace, profileId), StreamRange.of("(" + position.id(), "+"), count)
                .map(entries -> entries.stream().map(VisitorInbox::entry).toList());
    }

    /** The position of the newest entry, or {@link InboxPosition#START} for an empty inbox. */
    public Uni<InboxPosition> latest(String workspace, String profileId) {
        return streams.xrevrange(streamKey(workspace, profileId), StreamRange.of("+", "-"), 1)
                .map(entries -> entries.isEmpty()
                        ? InboxPosition.START
                        : InboxPosition.parse(entries.getFirst().id(), "/id"));
    }

    /**
     * Erasure: the profile's inbox is deleted. The firing markers stay until they expire: they hold
     * only ids, and they keep a redelivered firing from bringing an erased message back.
     * @return how many messages the inbox held
     */
    public Uni<Long> erase(String workspace, String profileId) {
        return redis.execute("EVAL", ERASE, "1", streamKey(workspace, profileId)).map(held -> held.toLong());
    }

    /** Every message of the profile's inbox, oldest first, for a data subject's export. */
    public Uni<List<InboxEntry>> everything(String workspace, String profileId) {
        return streams.xrange(streamKey(workspace, profileId), StreamRange.of("-", "+"))
                .map(entries -> entries.stream().map(VisitorInbox::entry).toList());
    }

    public static String streamKey(String workspace, String profileId) {
        return PREFIX + "inbox:" + profileTag(workspace, profileId);
    }

    /** The pub/sub channel on which new entries of the profile's inbox are announced (payload: entry id). */
    public static String notificationChannel(String workspace, String profileId) {
        return PREFIX + "inbox-notifications:" + profileTag(workspace, profileId);
    }

    private static String profileTag(String workspace, String profileId) {
        return "{" + workspace + ":" + profileId + "}";
    }

    private static InboxEntry entry(StreamMessage<String, String, String> message) {
        Map<String, String> fields = message.payload();
        return new InboxEntry(InboxPosition.parse(message.id(), "/id"), fields.get("firingId"),
                fields.get("triggerId"), fields.get("message"),
                Instant.ofEpochMilli(Long.parseLong(fields.get("firedAt"))));
    }
}
