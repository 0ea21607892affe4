package io.calsync.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The published OpenAPI document ({@code openapi/calsync.yaml}) is the one the code generates: a change of the API
 * that does not update it fails the build (run {@code ./mvnw -pl gateway-service verify -Dit.test=OpenApiDocumentIT
 * -Dopenapi.update=true} to write it). And it has what the contract promises: every route of
 * {@code shared/contract/API.md}, every error as problem+json with its {@code code}, the stream as text/event-stream.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "SECRET_KEY=" + TestTokens.SECRET,
            "ENCRYPTION_KEY=" + TestTokens.ENCRYPTION_KEY,
            "spring.profiles.active=dev"
        })
class OpenApiDocumentIT {

    static final Path CHECKED_IN = Path.of("..", "openapi", "calsync.yaml");
    static final Path CONTRACT = Path.of("..", "..", "shared", "contract", "API.md");
    static final String PREFIX = "/api/v1/calendar";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry);
    }

    @Value("${local.server.port}")
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    String get(String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    @Test
    void theCheckedInDocumentIsTheOneTheCodeGenerates() throws Exception {
        String generated = get("/v3/api-docs.yaml").replace("\r\n", "\n");
        if (Boolean.getBoolean("openapi.update")) {
            Files.createDirectories(CHECKED_IN.getParent());
            Files.writeString(CHECKED_IN, generated, StandardCharsets.UTF_8);
        }
        assertThat(CHECKED_IN).as("openapi/calsync.yaml is checked in").exists();
        String checkedIn = Files.readString(CHECKED_IN, StandardCharsets.UTF_8).replace("\r\n", "\n");
        if (!checkedIn.equals(generated)) {
            String[] a = checkedIn.split("\n", -1);
            String[] b = generated.split("\n", -1);
            int line = 0;
            while (line < Math.min(a.length, b.length) && a[line].equals(b[line])) {
                line++;
            }
            throw new AssertionError("openapi/calsync.yaml differs from what the code generates at line " + (line + 1)
                    + ":\n  checked in: " + (line < a.length ? a[line] : "<end>") + "\n  generated:  "
                    + (line < b.length ? b[line] : "<end>")
                    + "\nIf the API change is meant, write the document again:"
                    + " ./mvnw -pl gateway-service verify -Dit.test=OpenApiDocumentIT -Dopenapi.update=true");
        }
    }

    @Test
    void everyOperationAnswersItsErrorsAsProblemsWithTheirCodes() throws Exception {
        JsonNode doc = JsonMapper.builder().build().readTree(get("/v3/api-docs"));
        JsonNode problem = doc.at("/components/schemas/Problem");
        assertThat(problem.at("/properties/code").isMissingNode()).isFalse();
        int operations = 0;
        for (var path : doc.get("paths").properties()) {
            for (var op : path.getValue().properties()) {
                operations++;
                JsonNode responses = op.getValue().get("responses");
                assertThat(responses.has("401") || path.getKey().endsWith("/callback"))
                        .as("%s %s answers 401", op.getKey(), path.getKey())
                        .isTrue();
                for (var r : responses.properties()) {
                    if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                        assertThat(r.getValue()
                                        .at("/content/application~1problem+json/schema/$ref")
                                        .asString())
                                .as("%s %s %s", op.getKey(), path.getKey(), r.getKey())
                                .isEqualTo("#/components/schemas/Problem");
                    }
                }
                // Nothing comes out untyped: no byte[] answers, no free-form maps of the proxy or the 202s.
                for (var r : responses.properties()) {
                    JsonNode json = r.getValue().at("/content/application~1json/schema");
                    if (!json.isMissingNode()) {
                        assertThat(json.toString())
                                .as("%s %s %s", op.getKey(), path.getKey(), r.getKey())
                                .doesNotContain("\"format\":\"byte\"")
                                .doesNotContain("additionalProperties");
                    }
                }
            }
        }
        assertThat(operations).isGreaterThan(25);
        assertThat(doc.at("/paths/~1api~1v1~1calendar~1stream/get/responses/200/content")
                        .has("text/event-stream"))
                .isTrue();
        assertThat(doc.at("/paths/~1api~1v1~1calendar~1events/post/responses/429/headers")
                        .has("Retry-After"))
                .isTrue();
    }

    /** Every route of the contract (routes table, Additions, CalDAV) is in the document, with its method. */
    @Test
    void everyRouteOfTheContractIsDocumented() throws Exception {
        Assumptions.assumeTrue(Files.exists(CONTRACT), "the contract is not beside this checkout (" + CONTRACT + ")");
        String contract = Files.readString(CONTRACT, StandardCharsets.UTF_8);
        // The webhooks are webhook-ingest-service's, not the frontend's.
        int webhooks = contract.indexOf("## Webhooks");
        int rateLimits = contract.indexOf("## Rate limits");
        if (webhooks >= 0 && rateLimits > webhooks) {
            contract = contract.substring(0, webhooks) + contract.substring(rateLimits);
        }
        JsonNode doc = JsonMapper.builder().build().readTree(get("/v3/api-docs"));
        Set<String> documented = new LinkedHashSet<>();
        for (var path : doc.get("paths").properties()) {
            for (var op : path.getValue().properties()) {
                documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + shape(path.getKey()));
            }
        }
        Set<String> routes = contractRoutes(contract);
        assertThat(routes).as("routes read from the contract").hasSizeGreaterThan(25);
        List<String> missing = new ArrayList<>();
        for (String route : routes) {
            if (!documented.contains(route)) {
                missing.add(route);
            }
        }
        assertThat(missing)
                .as("contract routes missing from the OpenAPI document")
                .isEmpty();
    }

    /** The contract's Calendar and Event shapes: every field it lists is a property of the documented answer. */
    @Test
    void theContractsShapesAreTheDocumentedOnes() throws Exception {
        Assumptions.assumeTrue(Files.exists(CONTRACT), "the contract is not beside this checkout (" + CONTRACT + ")");
        String contract = Files.readString(CONTRACT, StandardCharsets.UTF_8);
        JsonNode schemas =
                JsonMapper.builder().build().readTree(get("/v3/api-docs")).at("/components/schemas");
        for (var shape : java.util.Map.of("Calendar (a connection): `", "CalendarView", "Event: `", "EventView")
                .entrySet()) {
            int from = contract.indexOf(shape.getKey());
            assertThat(from).as(shape.getKey()).isNotNegative();
            from += shape.getKey().length();
            String fields = contract.substring(from, contract.indexOf('`', from));
            List<String> names = fieldNames(fields);
            assertThat(names)
                    .as("fields of %s in the contract", shape.getValue())
                    .hasSizeGreaterThan(10);
            JsonNode properties = schemas.at("/" + shape.getValue() + "/properties");
            List<String> missing =
                    names.stream().filter(n -> !properties.has(n)).toList();
            assertThat(missing)
                    .as("contract fields missing from %s", shape.getValue())
                    .isEmpty();
            JsonNode required = schemas.at("/" + shape.getValue() + "/required");
            assertThat(required.isArray() && required.size() >= names.size())
                    .as("%s: every field always present", shape.getValue())
                    .isTrue();
        }
    }

    /** {@code id, provider (GOOGLE|...), attendees [{email, ...}], ...} → the top-level names. */
    static List<String> fieldNames(String list) {
        StringBuilder top = new StringBuilder();
        int depth = 0;
        for (char c : list.toCharArray()) {
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (depth == 0) {
                top.append(c);
            }
        }
        List<String> names = new ArrayList<>();
        for (String part : top.toString().split(",")) {
            String name = part.strip().split("\\s+")[0];
            if (name.matches("[a-zA-Z]+")) {
                names.add(name);
            }
        }
        return names;
    }

    /** {@code GET/PUT/DELETE /events/{id}} and {@code `GET /calendars/{id}` / `DELETE ...`} as method + shape. */
    static Set<String> contractRoutes(String contract) {
        Set<String> routes = new LinkedHashSet<>();
        Matcher m = Pattern.compile(
                        "`((?:GET|POST|PUT|DELETE|PATCH)(?:`?/`?(?:GET|POST|PUT|DELETE|PATCH))*)`? (/[^`\\s?\\[]*)")
                .matcher(contract);
        while (m.find()) {
            String path = m.group(2);
            if (path.startsWith("/api/")) {
                continue;
            }
            for (String method : m.group(1).replace("`", "").split("/")) {
                for (String expanded : expand(path)) {
                    routes.add(method + " " + shape(PREFIX + expanded));
                }
            }
        }
        return routes;
    }

    /** {@code /oauth/{google,microsoft}/login} is the route {@code /oauth/{provider}/login}. */
    static List<String> expand(String path) {
        return List.of(path.replaceAll("\\{[a-z]+(,[a-z]+)+}", "{provider}"));
    }

    /** Path parameters' names do not matter: {@code /events/{id}} and {@code /events/{eventId}} are one route. */
    static String shape(String path) {
        String p = path.replaceAll("\\{[^}]*}", "{}");
        return p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
