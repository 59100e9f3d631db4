package io.kairos.consent.store;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kairos.consent.domain.ConsentSubject;
import io.kairos.consent.domain.Policies;
import io.kairos.consent.domain.SubjectFacts;
import io.kairos.consent.domain.Workspace;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Everything a Check reads, cached: each profile's ledger and location, each workspace's policies.
 * PostgreSQL stays the truth. Every change to what is cached is announced by the database when
 * it commits ({@link ConsentChangeNotices}) and drops the entry on every instance; a change made
 * here drops it at once as well, so the writer reads its own write. The expiry is only a backstop.
 */
@ApplicationScoped
public class ConsentFacts {

    private final AsyncCache<ConsentSubject, SubjectFacts> subjects;
    private final AsyncCache<String, Policies> policies;

    @Inject
    Pool pool;

    @Inject
    PolicyStore policyStore;

    @Inject
    ConsentLedger ledger;

    public ConsentFacts(@ConfigProperty(name = "kairos.consent.cache.profiles", defaultValue = "200000") long profiles,
                        @ConfigProperty(name = "kairos.consent.cache.expire-after", defaultValue = "PT10M") Duration expiry) {
        this.subjects = Caffeine.newBuilder().maximumSize(profiles).expireAfterWrite(expiry).buildAsync();
        this.policies = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(expiry).buildAsync();
    }

    public Uni<SubjectFacts> facts(ConsentSubject subject) {
        return facts(List.of(subject)).map(known -> known.get(subject));
    }

    /** The facts of many profiles; those not cached are read together, two queries per workspace. */
    public Uni<Map<ConsentSubject, SubjectFacts>> facts(List<ConsentSubject> wanted) {
        return Uni.createFrom().completionStage(() -> subjects.getAll(wanted, (missing, executor) -> Multi.createFrom()
                .iterable(missing.stream().collect(Collectors.groupingBy(ConsentSubject::workspace,
                        Collectors.mapping(ConsentSubject::profileId, Collectors.toList()))).entrySet())
                .onItem().transformToUniAndConcatenate(workspace -> load(workspace.getKey(), workspace.getValue()))
                .collect().in(HashMap<ConsentSubject, SubjectFacts>::new, Map::putAll)
                .subscribeAsCompletionStage()));
    }

    private Uni<Map<ConsentSubject, SubjectFacts>> load(String workspace, List<String> profileIds) {
        return Uni.combine().all()
                .unis(ConsentLedger.profiles(pool, workspace, profileIds),
                        ProfileContexts.recipients(pool, workspace, profileIds))
                .with((ledgers, recipients) -> {
                    Map<ConsentSubject, SubjectFacts> loaded = new HashMap<>();
                    profileIds.forEach(id -> loaded.put(new ConsentSubject(workspace, id),
                            new SubjectFacts(ledgers.get(id), recipients.get(id))));
                    return loaded;
                });
    }

    public Uni<Policies> policies(Workspace workspace) {
        return Uni.createFrom().completionStage(() -> policies.get(workspace.id(), (key, executor) ->
                policyStore.current(workspace).map(revision -> revision.policies()).subscribeAsCompletionStage()));
    }

    /** Appends what one resolved event said and stores where the profile is, in one transaction. */
    public Uni<Void> recordEvent(ConsentSubject subject, Optional<ProfileContexts.Location> location, Instant at,
                                 List<EventConsent> records) {
        return pool.withTransaction(conn -> ledger.appendFromEvents(conn, records)
                        .chain(() -> location.map(l -> ProfileContexts.record(conn, subject, l, at))
                                .orElseGet(() -> Uni.createFrom().voidItem())))
                .invoke(() -> forget(subject.workspace(), subject.profileId()));
    }

    /** A merge: the merged profiles' records become the survivor's; their locations go, the survivor's is stored. */
    public Uni<Void> recordMerge(String workspace, String survivor, List<String> merged,
                                 Optional<ProfileContexts.Location> location, Instant at) {
        ConsentSubject subject = new ConsentSubject(workspace, survivor);
        return pool.withTransaction(conn -> conn.preparedQuery(
                                "update consent_record set profile_id = $2 where workspace = $1 and profile_id = any($3)")
                        .execute(Tuple.of(workspace, survivor, merged.toArray(String[]::new)))
                        .chain(() -> ProfileContexts.forget(conn, workspace, merged))
                        .chain(() -> location.map(l -> ProfileContexts.record(conn, subject, l, at))
                                .orElseGet(() -> Uni.createFrom().voidItem())))
                .invoke(() -> {
                    forget(workspace, survivor);
                    merged.forEach(id -> forget(workspace, id));
                });
    }

    /** Erasure: the profile's ledger and location are deleted. */
    public Uni<Void> erase(String workspace, String profileId) {
        return pool.withTransaction(conn -> conn.preparedQuery(
                                "delete from consent_record where workspace = $1 and profile_id = $2")
                        .execute(Tuple.of(workspace, profileId))
                        .chain(() -> ProfileContexts.forget(conn, workspace, List.of(profileId))))
                .invoke(() -> forget(workspace, profileId));
    }

    /** Drops one profile's facts, or with an empty profile id the workspace's policies. */
    public void forget(String workspace, String profileId) {
        if (profileId.isEmpty()) {
            policies.synchronous().invalidate(workspace);
        } else {
            subjects.synchronous().invalidate(new ConsentSubject(workspace, profileId));
        }
    }

    public void forgetAll() {
        subjects.synchronous().invalidateAll();
        policies.synchronous().invalidateAll();
    }
}
