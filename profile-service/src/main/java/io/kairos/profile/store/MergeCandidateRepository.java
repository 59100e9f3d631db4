package io.kairos.profile.store;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class MergeCandidateRepository implements PanacheRepositoryBase<MergeCandidateEntity, MergeCandidateEntity.Key> {

    /** Records each absorbed profile once; the first event that tied it to the survivor is kept as the cause. */
    public Uni<Void> recordOnce(String workspace, UUID survivorId, List<UUID> absorbedIds, String causeMessageId, Instant now) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (UUID absorbedId : absorbedIds) {
            chain = chain.chain(() -> findById(new MergeCandidateEntity.Key(workspace, survivorId, absorbedId)))
                    .chain(existing -> {
                        if (existing != null) {
                            return Uni.createFrom().voidItem();
                        }
                        MergeCandidateEntity candidate = new MergeCandidateEntity();
                        candidate.workspace = workspace;
                        candidate.survivorId = survivorId;
                        candidate.absorbedId = absorbedId;
                        candidate.causeMessageId = causeMessageId;
                        candidate.detectedAt = now;
                        return persist(candidate).replaceWithVoid();
                    });
        }
        return chain;
    }
}
