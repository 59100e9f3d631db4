package io.kairos.gateway.store;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells this instance's visitor connections that their inbox has new entries. The instance
 * holds ONE Redis connection in subscriber mode and subscribes it to the notification channel
 * of each profile that has at least one connection here, for as long as it has one; every
 * notification is fanned out to the local listeners of that profile. Notifications carry no
 * data: a listener reads its inbox after its own position, so a lost or repeated notification
 * costs a read, never a message.
 * <p>
 * {@link #listen} completes only once Redis confirmed the subscription, so a listener that
 * reads its inbox afterwards cannot miss an entry appended in between. When the connection
 * drops, it is made again, every channel subscribed again and every listener woken, to read
 * what was appended while nobody listened.
 */
@ApplicationScoped
public class InboxNotifications {

    private static final Logger LOG = Logger.getLogger(InboxNotifications.class);
    private static final long RECONNECT_DELAY_MS = 1000;

    /** A listener's hold on a channel; {@link #stop()} ends it. */
    public interface Listening {
        void stop();
    }

    /** The listeners of one channel on this instance, and the confirmation of its current subscription. */
    private static final class Channel {
        final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
    }

    private final Redis redis;
    private final Vertx vertx;
    private final Duration timeout;

    // All fields below are guarded by this.
    private final Map<String, Channel> channels = new HashMap<>();
    /**
     * Per channel, what each (un)subscribe sent on the current connection waits for, in sending
     * order: Redis confirms them in that order, as pushes on the connection.
     */
    private final Map<String, Queue<CompletableFuture<Void>>> confirmations = new HashMap<>();
    private RedisConnection connection;
    private boolean connecting;
    private boolean reconnection;
    private boolean closed;

    public InboxNotifications(Redis redis, Vertx vertx,
                              @ConfigProperty(name = "kairos.in-app.redis-timeout", defaultValue = "5s")
                              Duration timeout) {
        this.redis = redis;
        this.vertx = vertx;
        this.timeout = timeout;
    }

    /**
     * Calls {@code listener} (on an event-loop thread: it must not block) for every notification
     * on {@code channel} until the returned hold is stopped. Fails when Redis did not confirm the
     * subscription within {@code kairos.in-app.redis-timeout}.
     */
    public Uni<Listening> listen(String channel, Runnable listener) {
        CompletableFuture<Void> subscribed;
        synchronized (this) {
            Channel state = channels.get(channel);
            if (state == null) {
                state = new Channel();
                channels.put(channel, state);
                if (connection != null) {
                    send(connection, Command.SUBSCRIBE, channel, state.subscribed);
                }
            }
            state.listeners.add(listener);
            subscribed = state.subscribed;
            connectIfNeeded();
        }
        Listening listening = () -> forget(channel, listener);
        return Uni.createFrom().completionStage(subscribed)
                .ifNoItem().after(timeout).fail()
                .onFailure().invoke(listening::stop)
                .onCancellation().invoke(listening::stop)
                .replaceWith(listening);
    }

    private void forget(String channel, Runnable listener) {
        synchronized (this) {
            Channel state = channels.get(channel);
            if (state == null || !state.listeners.remove(listener) || !state.listeners.isEmpty()) {
                return;
            }
            channels.remove(channel);
            if (connection != null) {
                send(connection, Command.UNSUBSCRIBE, channel, new CompletableFuture<>());
            }
        }
    }

    /**
     * Sends while the lock is held, so commands reach Redis in the order they were decided in.
     * The command's own result only says it was written: Redis' confirmation arrives as a push.
     */
    private void send(RedisConnection on, Command command, String channel, CompletableFuture<Void> confirmed) {
        confirmations.computeIfAbsent(channel, c -> new ArrayDeque<>()).add(confirmed);
        on.send(Request.cmd(command).arg(channel)).subscribe().with(
                written -> {
                },
                failure -> lost(on, failure));
    }

    private void connectIfNeeded() {
        if (connection != null || connecting || closed) {
            return;
        }
        connecting = true;
        redis.connect().subscribe().with(this::connected, failure -> {
            synchronized (this) {
                connecting = false;
                LOG.warnf("in-app notifications: cannot reach Redis (%s), trying again", failure.toString());
                reconnectLater();
            }
        });
    }

    private void connected(RedisConnection made) {
        made.handler(push -> onPush(made, push));
        made.exceptionHandler(failure -> lost(made, failure));
        made.endHandler(() -> lost(made, null));
        synchronized (this) {
            connecting = false;
            if (closed) {
                made.close().subscribe().with(ignored -> {
                }, ignored -> {
                });
                return;
            }
            connection = made;
            confirmations.clear();
            channels.forEach((name, state) -> {
                if (reconnection) {
                    // What was announced while nobody listened is read once listening again.
                    state.subscribed.thenRun(() -> state.listeners.forEach(Runnable::run));
                }
                send(made, Command.SUBSCRIBE, name, state.subscribed);
            });
            reconnection = true;
        }
    }

    private void lost(RedisConnection on, Throwable failure) {
        synchronized (this) {
            if (connection != on) {
                return;
            }
            connection = null;
            confirmations.clear();
            if (closed) {
                return;
            }
            LOG.warnf("in-app notifications: Redis connection lost (%s), subscribing again",
                    failure == null ? "closed" : failure.toString());
            channels.values().forEach(state -> {
                if (state.subscribed.isDone()) {
                    state.subscribed = new CompletableFuture<>();
                }
            });
            reconnectLater();
        }
        on.close().subscribe().with(ignored -> {
        }, ignored -> {
        });
    }

    private void reconnectLater() {
        if (!channels.isEmpty() && !closed) {
            vertx.setTimer(RECONNECT_DELAY_MS, id -> {
                synchronized (this) {
                    connectIfNeeded();
                }
            });
        }
    }

    /** Redis pushes: ["message", channel, payload] and the confirmations ["subscribe"|"unsubscribe", channel, count]. */
    private void onPush(RedisConnection on, Response push) {
        if (push == null || push.size() < 2) {
            return;
        }
        String kind = push.get(0).toString();
        String channel = push.get(1).toString();
        CompletableFuture<Void> confirmed = null;
        List<Runnable> listeners = List.of();
        synchronized (this) {
            if (connection != on) {
                return;
            }
            if ("subscribe".equals(kind) || "unsubscribe".equals(kind)) {
                Queue<CompletableFuture<Void>> waiting = confirmations.get(channel);
                confirmed = waiting == null ? null : waiting.poll();
            } else if ("message".equals(kind)) {
                Channel state = channels.get(channel);
                listeners = state == null ? List.of() : List.copyOf(state.listeners);
            }
        }
        // Outside the lock: completion runs the continuations of whoever waits for the subscription.
        if (confirmed != null) {
            confirmed.complete(null);
        }
        listeners.forEach(Runnable::run);
    }

    /** Before the Redis client closes its connections: losing this one then is no reason to reconnect. */
    void close(@Observes ShutdownEvent stopping) {
        RedisConnection open;
        synchronized (this) {
            closed = true;
            open = connection;
            connection = null;
        }
        if (open != null) {
            open.close().subscribe().with(ignored -> {
            }, ignored -> {
            });
        }
    }
}
