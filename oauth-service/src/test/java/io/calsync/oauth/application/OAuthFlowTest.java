package io.calsync.oauth.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OAuthFlowTest {

    @Test
    void statesAre32RandomBytesInBase64Url() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String state = OAuthFlow.newState();
            assertThat(state).hasSize(43).matches("[A-Za-z0-9_-]+");
            assertThat(seen.add(state)).isTrue();
        }
    }

    @Test
    void statesLiveTenMinutesAndSessionsFifteen() {
        assertThat(OAuthFlow.STATE_TTL).hasMinutes(10);
        assertThat(OAuthFlow.SESSION_TTL).hasMinutes(15);
    }
}
