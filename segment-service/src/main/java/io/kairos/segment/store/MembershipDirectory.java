package io.kairos.segment.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Membership queries: who is in a segment, which segments a profile is in. */
@ApplicationScoped
public class MembershipDirectory {

    public record MemberRow(String profileId, Instant enteredAt) {
    }

    public record ProfileSegmentRow(String segmentId, String name, Instant enteredAt) {
    }

    @Inject
    Pool pool;

    /** Members ordered by profile id, strictly after {@code afterProfileId} ("" for the first page). */
    public Uni<List<MemberRow>> members(String workspace, String segmentId, String afterProfileId, int limit) {
        return pool.preparedQuery("""
                        select profile_id, entered_at from segment_membership
                        where workspace = $1 and segment_id = $2 and profile_id > $3
                        order by profile_id limit $4""")
                .execute(Tuple.of(workspace, segmentId, afterProfileId, limit))
                .map(rows -> {
                    List<MemberRow> members = new ArrayList<>();
                    rows.forEach(row -> members.add(new MemberRow(row.getString("profile_id"),
                            row.getOffsetDateTime("entered_at").toInstant())));
                    return members;
                });
    }

    public Uni<List<ProfileSegmentRow>> segmentsOf(String workspace, String profileId) {
        return pool.preparedQuery("""
                        select m.segment_id, s.name, m.entered_at
                        from segment_membership m join segment s on s.id = m.segment_id and s.workspace = m.workspace
                        where m.workspace = $1 and m.profile_id = $2
                        order by m.entered_at, m.segment_id""")
                .execute(Tuple.of(workspace, profileId))
                .map(rows -> {
                    List<ProfileSegmentRow> segments = new ArrayList<>();
                    rows.forEach(row -> segments.add(new ProfileSegmentRow(row.getString("segment_id"),
                            row.getString("name"), row.getOffsetDateTime("entered_at").toInstant())));
                    return segments;
                });
    }

    /**
     * Everything segment-service holds on a profile, as a JSON object for a data subject's export: the
     * traits it evaluates, the segments it is in and the events it keeps for them.
     */
    public Uni<String> export(String workspace, String profileId) {
        return pool.preparedQuery("""
                        select jsonb_build_object(
                          'traits', (select traits_json from profile_state where workspace = $1 and profile_id = $2),
                          'segments', coalesce((select jsonb_agg(jsonb_build_object('segmentId', m.segment_id, 'name', s.name,
                                  'enteredAt', m.entered_at) order by m.entered_at, m.segment_id)
                              from segment_membership m join segment s on s.id = m.segment_id and s.workspace = m.workspace
                              where m.workspace = $1 and m.profile_id = $2), '[]'::jsonb),
                          'events', coalesce((select jsonb_agg(jsonb_build_object('messageId', message_id, 'event', name,
                                  'occurredAt', occurred_at, 'properties', properties_json) order by occurred_at, message_id)
                              from profile_event where workspace = $1 and profile_id = $2), '[]'::jsonb))::text as export""")
                .execute(Tuple.of(workspace, profileId))
                .map(rows -> rows.iterator().next().getString("export"));
    }
}
