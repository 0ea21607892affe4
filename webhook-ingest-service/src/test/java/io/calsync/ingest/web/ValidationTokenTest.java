package io.calsync.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ValidationTokenTest {

    static final String GRAPH_TOKEN =
            "Validation: Testing client application reachability for subscription Request-Id: 522a8e7e-096a";

    @Test
    void theTokenIsUrlDecodedWithPlusAsSpace() {
        assertThat(ValidationToken.from("validationToken=" + URLEncoder.encode(GRAPH_TOKEN, StandardCharsets.UTF_8)))
                .isEqualTo(GRAPH_TOKEN);
        assertThat(ValidationToken.from("validationToken=a%20b%2Bc")).isEqualTo("a b+c");
    }

    @Test
    void theTokenIsFoundAmongOtherParameters() {
        assertThat(ValidationToken.from("x=1&validationToken=abc&y=2")).isEqualTo("abc");
        assertThat(ValidationToken.from("validationTokenX=1&validationToken=abc"))
                .isEqualTo("abc");
    }

    @Test
    void anEmptyTokenIsStillAHandshake() {
        assertThat(ValidationToken.from("validationToken=")).isEmpty();
        assertThat(ValidationToken.from("validationToken")).isEmpty();
    }

    @Test
    void withoutTheParameterThereIsNoHandshake() {
        assertThat(ValidationToken.from(null)).isNull();
        assertThat(ValidationToken.from("")).isNull();
        assertThat(ValidationToken.from("token=abc")).isNull();
    }

    @Test
    void aBrokenEncodingIsMalformed() {
        assertThatThrownBy(() -> ValidationToken.from("validationToken=%zz"))
                .isInstanceOf(MalformedNotificationException.class);
    }
}
