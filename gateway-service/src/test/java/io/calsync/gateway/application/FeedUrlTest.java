package io.calsync.gateway.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.providers.http.FetchException;
import io.calsync.providers.http.SsrfGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What makes two feed URLs the same feed, and which URLs are refused before any fetch. */
class FeedUrlTest {

    final SsrfGuard guard = new SsrfGuard(false);

    String identity(String url) {
        return FeedUrl.of(url, guard).identity();
    }

    @Test
    void keepsTheUrlAsGivenAndIdentifiesItByItsNormalisedForm() {
        FeedUrl url = FeedUrl.of("  webcal://Example.com/cal.ics?token=S3cret ", guard);
        assertThat(url.given()).isEqualTo("webcal://Example.com/cal.ics?token=S3cret");
        assertThat(url.normalized()).hasToString("https://example.com/cal.ics?token=S3cret");
        assertThat(url.host()).isEqualTo("example.com");
        assertThat(url.identity()).hasSize(64).doesNotContain("S3cret");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "webcal://example.com/cal.ics",
                "webcals://example.com/cal.ics",
                "HTTPS://EXAMPLE.COM/cal.ics",
                "https://example.com:443/cal.ics",
                "https://example.com/cal.ics#fragment"
            })
    void spellingsOfOneFeedHaveOneIdentity(String url) {
        assertThat(identity(url)).isEqualTo(identity("https://example.com/cal.ics"));
    }

    @Test
    void otherFeedsHaveOtherIdentities() {
        String feed = identity("https://example.com/cal.ics");
        assertThat(identity("http://example.com/cal.ics")).isNotEqualTo(feed);
        assertThat(identity("https://example.com:8443/cal.ics")).isNotEqualTo(feed);
        assertThat(identity("https://example.com/Cal.ics")).isNotEqualTo(feed);
        assertThat(identity("https://example.com/cal.ics?user=2")).isNotEqualTo(feed);
        assertThat(identity("http://example.com:80/")).isEqualTo(identity("http://example.com"));
    }

    @Test
    void refusesMissingBlankLongAndRelativeUrlsAsInvalidFields() {
        for (String bad :
                new String[] {null, " ", "https://example.com/" + "a".repeat(2048), "cal.ics", "http://a b/"}) {
            assertThatThrownBy(() -> FeedUrl.of(bad, guard))
                    .as(String.valueOf(bad))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo("VALIDATION_FAILED");
                        assertThat(e.errors())
                                .singleElement()
                                .satisfies(p -> assertThat(p.field()).isEqualTo("url"));
                    });
        }
        assertThatThrownBy(() -> FeedUrl.of("ftp://example.com/cal.ics", guard))
                .isInstanceOfSatisfying(
                        FetchException.class, e -> assertThat(e.code()).isEqualTo(FetchException.Code.URL_NOT_ALLOWED));
    }
}
