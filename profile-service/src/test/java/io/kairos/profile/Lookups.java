package io.kairos.profile;

import static org.awaitility.Awaitility.await;

import io.grpc.StatusRuntimeException;
import io.kairos.api.common.Identifier;
import io.kairos.api.profile.LookupProfileRequest;
import io.kairos.api.profile.ProfileServiceGrpc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/** What the tests look up: a profile once its event was consumed, and counts straight from PostgreSQL. */
final class Lookups {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    private Lookups() {
    }

    /** The id of the profile holding the identifier, waiting until one does. */
    static String awaitProfileId(ProfileServiceGrpc.ProfileServiceBlockingStub profiles, String ws, String type, String value) {
        return await().atMost(DEADLINE).ignoreException(StatusRuntimeException.class).until(() -> profiles.lookupProfile(
                LookupProfileRequest.newBuilder().setWorkspace(ws).setIdentifier(identifier(type, value)).build()),
                profile -> true).getProfileId();
    }

    static Identifier identifier(String type, String value) {
        return Identifier.newBuilder().setType(type).setValue(value).build();
    }

    /** {@code select count(*) ...} with the workspace as its only parameter. */
    static long count(DataSource database, String sql, String ws) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, ws);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
