package io.kairos.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static io.kairos.profile.GrpcErrors.assertInvalid;
import static io.kairos.profile.GrpcErrors.assertNotFound;
import static org.awaitility.Awaitility.await;

import io.grpc.StatusRuntimeException;
import io.kairos.api.common.Identifier;
import io.kairos.api.profile.GetProfileRequest;
import io.kairos.api.profile.ListEventsRequest;
import io.kairos.api.profile.ListEventsResponse;
import io.kairos.api.profile.LookupProfileRequest;
import io.kairos.api.profile.ProfileServiceGrpc;
import io.kairos.api.profile.StoredEvent;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ProfileService queries: history paging and filtering, and precise errors for bad requests. */
@QuarkusTest
class ProfileQueryTest {

    private static final long T0 = 1_740_000_000_000L;

    private static RawEvents rawEvents;

    @GrpcClient("profile")
    ProfileServiceGrpc.ProfileServiceBlockingStub profiles;

    @BeforeAll
    static void openProducer() {
        rawEvents = new RawEvents();
    }

    @AfterAll
    static void closeProducer() {
        // null when Quarkus failed to start and @BeforeAll never ran
        if (rawEvents == null) {
            return;
        }
        rawEvents.close();
    }

    @Test
    void historyIsPagedNewestFirstAndCanBeFilteredByEvent() {
        String ws = RawEvents.workspace();
        // Sent out of time order: the history is ordered by event time, not by arrival.
        long[] offsets = {3, 1, 5, 2, 4};
        for (long offset : offsets) {
            String name = offset % 2 == 0 ? "Order Completed" : "Product Viewed";
            rawEvents.send(RawEvents.event(ws, "m-" + offset, "track", Map.of("userId", "u-1", "event", name))
                    .setTimestampMs(T0 + offset * 1000).build());
        }
        String profileId = await().atMost(Duration.ofSeconds(30)).ignoreException(StatusRuntimeException.class)
                .until(() -> profiles.lookupProfile(LookupProfileRequest.newBuilder().setWorkspace(ws)
                        .setIdentifier(Identifier.newBuilder().setType("userId").setValue("u-1")).build()).getProfileId(), id -> true);
        await().atMost(Duration.ofSeconds(30)).until(() -> page(ws, profileId, "", 50, "").getEventsCount() == offsets.length);

        List<String> seen = new ArrayList<>();
        String token = "";
        List<Integer> pageSizes = new ArrayList<>();
        do {
            ListEventsResponse page = page(ws, profileId, "", 2, token);
            pageSizes.add(page.getEventsCount());
            page.getEventsList().forEach(event -> seen.add(event.getMessageId()));
            token = page.getNextPageToken();
        } while (!token.isEmpty());

        assertThat(seen).containsExactly("m-5", "m-4", "m-3", "m-2", "m-1");
        assertThat(pageSizes).containsExactly(2, 2, 1);
        ListEventsResponse orders = page(ws, profileId, "Order Completed", 0, "");
        assertThat(orders.getEventsList()).extracting(StoredEvent::getMessageId).containsExactly("m-4", "m-2");
        assertThat(orders.getNextPageToken()).isEmpty();
        StoredEvent newest = orders.getEvents(0);
        assertThat(newest.getType()).isEqualTo("track");
        assertThat(newest.getTimestampMs()).isEqualTo(T0 + 4000);
        assertThat(newest.getPayloadJson().toStringUtf8()).contains("\"messageId\":\"m-4\"");

        // A time window: from inclusive, to exclusive.
        ListEventsResponse window = profiles.listEvents(ListEventsRequest.newBuilder().setWorkspace(ws).setProfileId(profileId)
                .setFromMs(T0 + 2000).setToMs(T0 + 4000).build());
        assertThat(window.getEventsList()).extracting(StoredEvent::getMessageId).containsExactly("m-3", "m-2");
    }

    @Test
    void badRequestsAreRejectedNamingTheField() {
        String ws = RawEvents.workspace();

        assertInvalid(() -> profiles.getProfile(GetProfileRequest.newBuilder().setProfileId(UUID.randomUUID().toString()).build()),
                "MISSING_FIELD", "/workspace");
        assertInvalid(() -> profiles.getProfile(GetProfileRequest.newBuilder().setWorkspace(ws).setProfileId("1-1-1-1-1").build()),
                "INVALID_PROFILE_ID", "/profileId");
        assertInvalid(() -> profiles.lookupProfile(LookupProfileRequest.newBuilder().setWorkspace(ws).build()),
                "MISSING_FIELD", "/identifier");
        assertInvalid(() -> profiles.lookupProfile(LookupProfileRequest.newBuilder().setWorkspace(ws)
                .setIdentifier(Identifier.newBuilder().setValue("u-1")).build()), "MISSING_FIELD", "/identifier/type");
        assertInvalid(() -> profiles.lookupProfile(LookupProfileRequest.newBuilder().setWorkspace(ws)
                .setIdentifier(Identifier.newBuilder().setType("anonymousId").setValue("undefined")).build()),
                "BLOCKED_IDENTIFIER", "/identifier/value");
        assertInvalid(() -> profiles.listEvents(ListEventsRequest.newBuilder().setWorkspace(ws)
                .setProfileId(UUID.randomUUID().toString()).setPageSize(-1).build()), "INVALID_PAGE_SIZE", "/pageSize");
        assertInvalid(() -> profiles.listEvents(ListEventsRequest.newBuilder().setWorkspace(ws)
                .setProfileId(UUID.randomUUID().toString()).setPageToken("not-a-token").build()), "INVALID_PAGE_TOKEN", "/pageToken");
        assertInvalid(() -> profiles.listEvents(ListEventsRequest.newBuilder().setWorkspace(ws)
                .setProfileId(UUID.randomUUID().toString()).setFromMs(T0 + 5000).setToMs(T0).build()), "INVALID_TIME_RANGE", "/toMs");
    }

    @Test
    void unknownProfilesAreNotFound() {
        String ws = RawEvents.workspace();

        assertNotFound(() -> profiles.getProfile(GetProfileRequest.newBuilder().setWorkspace(ws)
                .setProfileId(UUID.randomUUID().toString()).build()));
        assertNotFound(() -> profiles.lookupProfile(LookupProfileRequest.newBuilder().setWorkspace(ws)
                .setIdentifier(Identifier.newBuilder().setType("email").setValue("nobody@example.com")).build()));
        assertNotFound(() -> profiles.listEvents(ListEventsRequest.newBuilder().setWorkspace(ws)
                .setProfileId(UUID.randomUUID().toString()).build()));
    }

    private ListEventsResponse page(String ws, String profileId, String event, int size, String token) {
        return profiles.listEvents(ListEventsRequest.newBuilder().setWorkspace(ws).setProfileId(profileId)
                .setEvent(event).setPageSize(size).setPageToken(token).build());
    }
}
