package io.kairos.consent.store;

import io.kairos.consent.domain.ConsentSubject;
import io.kairos.consent.domain.Geography;
import io.kairos.consent.domain.Place;
import io.kairos.consent.domain.Recipient;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where profiles are (profile_context), as their {@code $timezone}, {@code $country} and
 * {@code $region} traits last said. Kept as the traits say it; read into a {@link Recipient}.
 */
public final class ProfileContexts {

    private ProfileContexts() {
    }

    /** The traits as a profile's resolved event carries them; null where it has none. */
    public record Location(String timezone, String country, String region) {
    }

    /** Where some profiles of one workspace are, in one query; a profile never located is {@link Recipient#UNKNOWN}. */
    static Uni<Map<String, Recipient>> recipients(SqlClient client, String workspace, List<String> profileIds) {
        return client.preparedQuery("select profile_id, timezone, country, region from profile_context"
                        + " where workspace = $1 and profile_id = any($2)")
                .execute(Tuple.of(workspace, profileIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, Recipient> recipients = new HashMap<>();
                    profileIds.forEach(id -> recipients.put(id, Recipient.UNKNOWN));
                    rows.forEach(row -> recipients.put(row.getString("profile_id"), recipient(row)));
                    return recipients;
                });
    }

    private static Recipient recipient(Row row) {
        Place place = Geography.place(row.getString("country"), row.getString("region"));
        return new Recipient(zone(row.getString("timezone")), Optional.empty(), place);
    }

    /** A zone id as stored; what is not one (an old tz name the JDK dropped) counts as unknown. */
    public static Optional<ZoneId> zone(String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZoneId.of(id));
        } catch (DateTimeException unknown) {
            return Optional.empty();
        }
    }

    /** Stores the location if it differs from the stored one; an unchanged location writes (and announces) nothing. */
    static Uni<Void> record(SqlClient client, ConsentSubject subject, Location location, Instant at) {
        return client.preparedQuery("""
                        insert into profile_context (workspace, profile_id, timezone, country, region, updated_at)
                        values ($1, $2, $3, $4, $5, $6)
                        on conflict (workspace, profile_id) do update set timezone = excluded.timezone,
                            country = excluded.country, region = excluded.region, updated_at = excluded.updated_at
                        where (profile_context.timezone, profile_context.country, profile_context.region)
                            is distinct from (excluded.timezone, excluded.country, excluded.region)""")
                .execute(Tuple.from(new Object[]{subject.workspace(), subject.profileId(), location.timezone(),
                        location.country(), location.region(), ConsentLedger.utc(at)}))
                .replaceWithVoid();
    }

    static Uni<Void> forget(SqlClient client, String workspace, List<String> profileIds) {
        return client.preparedQuery("delete from profile_context where workspace = $1 and profile_id = any($2)")
                .execute(Tuple.of(workspace, profileIds.toArray(String[]::new)))
                .replaceWithVoid();
    }
}
