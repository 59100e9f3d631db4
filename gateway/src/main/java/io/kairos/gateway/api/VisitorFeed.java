package io.kairos.gateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.kairos.gateway.domain.InboxPosition;
import io.kairos.gateway.store.InboxEntry;
import io.kairos.gateway.store.InboxNotifications;
import io.kairos.gateway.store.VisitorInbox;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One visitor's connection to the real-time channel, as server-sent events: the inbox entries
 * after where the client resumes, then each new one as it arrives; a comment now and then so
 * that proxies keep an idle connection open.
 * <p>
 * Every event is read from the inbox after the last one sent, so replay and live delivery are
 * one ordered sequence with no gap and no repeat: the connection listens for notifications
 * before it reads anything, and a notification only makes it read again.
 */
@ApplicationScoped
public class VisitorFeed {

    private static final Logger LOG = Logger.getLogger(VisitorFeed.class);
    /** Entries read from the inbox at a time. */
    private static final int PAGE = 50;
    /** Events the connection may hold for a slow client before it gives up on it. */
    private static final int BUFFER = 1024;

    @Inject
    VisitorInbox inbox;

    @Inject
    InboxNotifications notifications;

    @Inject
    Vertx vertx;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "kairos.in-app.heartbeat", defaultValue = "15s")
    Duration heartbeat;

    /** What the client is told to wait before it reconnects (SSE retry), when it is sent away. */
    @ConfigProperty(name = "kairos.in-app.reconnect-delay", defaultValue = "5s")
    Duration reconnectDelay;

    /**
     * The feed of a known visitor. The first event is a comment, sent as soon as the
     * connection listens; without {@code resumeFrom} it carries the id of the newest entry, so
     * that a client that reconnects before its first message misses nothing either.
     *
     * @param resumeFrom the last event id the client saw, or null to start with what comes next
     */
    public Multi<OutboundSseEvent> open(Sse sse, String workspace, String profileId, InboxPosition resumeFrom) {
        return Multi.createFrom().emitter(
                emitter -> new Connection(sse, workspace, profileId, emitter).start(resumeFrom), BUFFER);
    }

    /**
     * For a visitor with no profile yet: one event asking the client to come back later, and the
     * end of the stream. Its id (the client's own, else the start of the inbox) makes the
     * reconnecting client ask for every message fired in between.
     */
    public Multi<OutboundSseEvent> retryLater(Sse sse, InboxPosition resumeFrom) {
        return Multi.createFrom().item(sse.newEventBuilder()
                .comment("unknown visitor: no profile yet, reconnect later")
                .reconnectDelay(reconnectDelay.toMillis())
                .id((resumeFrom == null ? InboxPosition.START : resumeFrom).id())
                .build());
    }

    private final class Connection {

        private final Sse sse;
        private final String workspace;
        private final String profileId;
        private final MultiEmitter<? super OutboundSseEvent> emitter;
        private final AtomicBoolean reading = new AtomicBoolean();
        private final OutboundSseEvent heartbeatEvent;

        /** Set by a notification, cleared when a read starts: another read is due. */
        private volatile boolean readAgain;
        private volatile boolean live;
        /** Last entry sent (or the client already had); written by one read at a time. */
        private volatile InboxPosition position;

        // Guarded by this.
        private boolean ended;
        private InboxNotifications.Listening listening;
        private Long heartbeatTimer;

        Connection(Sse sse, String workspace, String profileId, MultiEmitter<? super OutboundSseEvent> emitter) {
            this.sse = sse;
            this.workspace = workspace;
            this.profileId = profileId;
            this.emitter = emitter;
            this.heartbeatEvent = sse.newEventBuilder().comment("heartbeat").build();
        }

        void start(InboxPosition resumeFrom) {
            emitter.onTermination(this::end);
            notifications.listen(VisitorInbox.notificationChannel(workspace, profileId), this::wake)
                    .chain(held -> {
                        if (!hold(held)) {
                            return Uni.createFrom().nullItem();
                        }
                        return resumeFrom != null ? Uni.createFrom().item(resumeFrom)
                                : inbox.latest(workspace, profileId);
                    })
                    .subscribe().with(
                            from -> {
                                if (from != null) {
                                    goLive(from, resumeFrom == null);
                                }
                            },
                            failure -> {
                                // The response is under way (SSE headers go out first): ask for a reconnection.
                                LOG.warnf("in-app feed of %s/%s: the inbox cannot be reached (%s)",
                                        workspace, profileId, failure.toString());
                                emitter.emit(sse.newEventBuilder()
                                        .comment("inbox unavailable, reconnect later")
                                        .reconnectDelay(reconnectDelay.toMillis())
                                        .build());
                                emitter.complete();
                            });
        }

        private synchronized boolean hold(InboxNotifications.Listening held) {
            if (ended) {
                held.stop();
                return false;
            }
            listening = held;
            return true;
        }

        private void goLive(InboxPosition from, boolean tellPosition) {
            position = from;
            OutboundSseEvent.Builder connected = sse.newEventBuilder().comment("connected");
            if (tellPosition) {
                connected.id(from.id());
            }
            emitter.emit(connected.build());
            synchronized (this) {
                if (ended) {
                    return;
                }
                heartbeatTimer = vertx.setPeriodic(heartbeat.toMillis(), id -> emitter.emit(heartbeatEvent));
            }
            live = true;
            wake();
        }

        /** A notification (or the start): read what is new. At most one read runs at a time. */
        void wake() {
            if (!live) {
                return;
            }
            readAgain = true;
            if (reading.compareAndSet(false, true)) {
                read();
            }
        }

        private void read() {
            readAgain = false;
            inbox.after(workspace, profileId, position, PAGE).subscribe().with(this::send, failure -> {
                LOG.warnf("in-app feed of %s/%s: reading the inbox failed (%s); the client reconnects",
                        workspace, profileId, failure.toString());
                emitter.complete();
            });
        }

        private void send(List<InboxEntry> entries) {
            for (InboxEntry entry : entries) {
                if (emitter.isCancelled()) {
                    return;
                }
                emitter.emit(sse.newEventBuilder()
                        .id(entry.position().id())
                        .name("message")
                        .data(data(entry))
                        .build());
                position = entry.position();
            }
            if (entries.size() == PAGE) {
                readAgain = true;
            }
            reading.set(false);
            if (readAgain) {
                wake();
            }
        }

        /** {@code {"firingId", "triggerId", "message": {...}, "firedAt"}}; the message is passed on as stored. */
        private String data(InboxEntry entry) {
            ObjectNode data = json.createObjectNode();
            data.put("firingId", entry.firingId());
            data.put("triggerId", entry.triggerId());
            data.putRawValue("message", new RawValue(entry.messageJson()));
            data.put("firedAt", entry.firedAt().toString());
            return data.toString();
        }

        private void end() {
            InboxNotifications.Listening held;
            Long timer;
            synchronized (this) {
                ended = true;
                held = listening;
                timer = heartbeatTimer;
                listening = null;
                heartbeatTimer = null;
            }
            live = false;
            if (timer != null) {
                vertx.cancelTimer(timer);
            }
            if (held != null) {
                held.stop();
            }
        }
    }
}
