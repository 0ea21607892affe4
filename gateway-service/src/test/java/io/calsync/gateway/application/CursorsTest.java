package io.calsync.gateway.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.gateway.persistence.ChangeLog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CursorsTest {

    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final Cursors cursors =
            new Cursors("a-secret-key-of-at-least-32-bytes-long", meters, Clock.fixed(NOW, ZoneOffset.UTC));
    final UUID ada = UUID.randomUUID();

    static void assertExpired(Runnable r) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status().value()).isEqualTo(410);
            assertThat(e.code()).isEqualTo("CURSOR_EXPIRED");
        });
    }

    @Test
    void aCursorDecodesToItsPositionForItsUserOnly() {
        ChangeLog.Position p = new ChangeLog.Position(123_456_789L, 42L);
        String c = cursors.encode(ada, p, NOW.minus(Duration.ofDays(6)));
        assertThat(c).matches("[A-Za-z0-9_-]+");
        assertThat(cursors.decode(ada, c)).isEqualTo(p);
        assertExpired(() -> cursors.decode(UUID.randomUUID(), c));
        assertThat(meters.counter("calsync.changes.cursor.expired").count()).isEqualTo(1);
    }

    @Test
    void anOldForgedOrForeignKeyedCursorIsExpired() {
        ChangeLog.Position p = new ChangeLog.Position(7, 1);
        assertExpired(() -> cursors.decode(
                ada, cursors.encode(ada, p, NOW.minus(Duration.ofDays(7).plusSeconds(1)))));
        Cursors other = new Cursors("another-secret-key-of-32-bytes-or-more", meters, Clock.fixed(NOW, ZoneOffset.UTC));
        assertExpired(() -> cursors.decode(ada, other.encode(ada, p, NOW)));
        String good = cursors.encode(ada, p, NOW);
        assertExpired(() -> cursors.decode(ada, good.substring(1)));
        for (int i = 0; i < good.length() - 1; i++) { // every character but the last, whose low bits are padding
            char c = good.charAt(i);
            String moved = good.substring(0, i) + (c == 'A' ? 'B' : 'A') + good.substring(i + 1);
            assertExpired(() -> cursors.decode(ada, moved));
        }
        assertExpired(() -> cursors.decode(ada, "not base64 !"));
        assertExpired(() -> cursors.decode(ada, ""));
        assertThat(new ChangeLog.Position(1, 9)).isLessThan(new ChangeLog.Position(2, 0));
        assertThat(new ChangeLog.Position(2, 1)).isGreaterThan(new ChangeLog.Position(2, 0));
    }
}
