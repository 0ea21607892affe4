package io.calsync.gateway.web;

import io.calsync.gateway.application.LimitClass;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}), generated from the
 * controllers: the frontend's routes with the main app's bearer token (or the {@code access_token} cookie). The
 * checked-in copy is {@code openapi/calsync.yaml}, compared with this one by {@code OpenApiDocumentIT} in every build.
 *
 * <p>What the controllers cannot say is added here: every operation's errors as {@code application/problem+json}
 * ({@code Problem}, with the contract's {@code code}s per status), {@code Retry-After} on 429, and a stable order of
 * paths and schemas so that the document only changes when the API does.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String PROBLEM = "Problem";

    @Bean
    OpenAPI calsyncOpenApi() {
        return new OpenAPI()
                // A fixed server (the gateway's own origin), not the URL of whoever asked: the document is checked in.
                .servers(List.of(new io.swagger.v3.oas.models.servers.Server()
                        .url("/")
                        .description("the gateway (same origin as the frontend, or its public URL)")))
                .info(new Info()
                        .title("calsync frontend API")
                        .version("1.1")
                        .description(
                                "Google, Microsoft, ICS and CalDAV calendars of the productivity app. Every error is "
                                        + "application/problem+json with a stable `code`."))
                .components(new Components()
                        .addSecuritySchemes(
                                "bearer",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("JWT"))
                        .addSecuritySchemes(
                                "cookie",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.APIKEY)
                                        .in(SecurityScheme.In.COOKIE)
                                        .name("access_token")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"))
                .addSecurityItem(new SecurityRequirement().addList("cookie"));
    }

    /** The errors of every operation, the problem schema, and a stable order. */
    @Bean
    OpenApiCustomizer problemsAndOrder() {
        return api -> {
            api.getComponents().addSchemas(PROBLEM, problemSchema());
            api.getPaths()
                    .forEach((path, item) ->
                            item.readOperationsMap().forEach((method, op) -> addProblems(path, method, op)));
            answersAreComplete(api);
            // Stable order: paths and schemas sorted, so that the checked-in document diffs only on real changes.
            io.swagger.v3.oas.models.Paths sorted = new io.swagger.v3.oas.models.Paths();
            new TreeMap<>(api.getPaths()).forEach(sorted::addPathItem);
            api.setPaths(sorted);
            @SuppressWarnings({"rawtypes", "unchecked"})
            Map<String, Schema> schemas = new TreeMap<>(api.getComponents().getSchemas());
            api.getComponents().setSchemas(new LinkedHashMap<>(schemas));
        };
    }

    /**
     * The contract: "every field listed is always present; null where it does not apply". So in every schema that
     * only answers carry (not a request body's), each property is required, and text and number properties may be
     * null (ids, lists, flags and nested objects are always there). Clients generated from the document then type
     * {@code description: string | null} rather than an optional field.
     */
    /** Properties of answers that are never null: ids and cursors. */
    static final java.util.Set<String> ALWAYS_THERE =
            java.util.Set.of("id", "calendarId", "sessionId", "cursor", "nextCursor", "eventId", "requestId");

    @SuppressWarnings({"rawtypes", "unchecked"})
    static void answersAreComplete(OpenAPI api) {
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        java.util.Set<String> answers = new java.util.HashSet<>();
        java.util.Set<String> requests = new java.util.HashSet<>();
        api.getPaths()
                .values()
                .forEach(item -> item.readOperations().forEach(op -> {
                    if (op.getRequestBody() != null && op.getRequestBody().getContent() != null) {
                        op.getRequestBody().getContent().values().forEach(m -> reach(m.getSchema(), schemas, requests));
                    }
                    if (op.getResponses() != null) {
                        op.getResponses().values().forEach(r -> {
                            if (r.getContent() != null) {
                                r.getContent().values().forEach(m -> reach(m.getSchema(), schemas, answers));
                            }
                        });
                    }
                }));
        answers.removeAll(requests);
        answers.remove(PROBLEM);
        for (String name : answers) {
            Schema<?> schema = schemas.get(name);
            if (schema == null || schema.getProperties() == null) {
                continue;
            }
            schema.setRequired(new java.util.ArrayList<>(schema.getProperties().keySet()));
            schema.getProperties().forEach((property, value) -> {
                java.util.Set<String> types = value.getTypes();
                boolean scalar = types != null
                        && (types.contains("string") || types.contains("integer") || types.contains("number"));
                if (scalar && !ALWAYS_THERE.contains(property) && value.getEnum() == null) {
                    java.util.Set<String> nullable = new java.util.LinkedHashSet<>(types);
                    nullable.add("null");
                    value.setTypes(nullable);
                }
            });
        }
    }

    @SuppressWarnings("rawtypes")
    private static void reach(Schema<?> schema, Map<String, Schema> schemas, java.util.Set<String> into) {
        if (schema == null) {
            return;
        }
        if (schema.get$ref() != null) {
            String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
            if (into.add(name)) {
                reach(schemas.get(name), schemas, into);
            }
            return;
        }
        if (schema.getItems() != null) {
            reach(schema.getItems(), schemas, into);
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(p -> reach(p, schemas, into));
        }
        if (schema.getAdditionalProperties() instanceof Schema<?> extra) {
            reach(extra, schemas, into);
        }
    }

    private static Schema<?> problemSchema() {
        ObjectSchema fieldError = new ObjectSchema();
        fieldError.addProperty("field", new StringSchema());
        fieldError.addProperty("message", new StringSchema());
        Schema<?> problem = new ObjectSchema()
                .description("RFC 9457 problem details with the contract's stable `code`; never a stack trace, SQL or a"
                        + " token.")
                .addProperty("type", new StringSchema().format("uri"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema())
                .addProperty(
                        "code",
                        new StringSchema()
                                .description("Stable UPPER_SNAKE machine code, e.g. VALIDATION_FAILED, NOT_FOUND,"
                                        + " RATE_LIMITED, CALDAV_AUTH_FAILED")
                                .example("VALIDATION_FAILED"))
                .addProperty("errors", new ArraySchema().items(fieldError));
        problem.setRequired(List.of("title", "status", "code"));
        return problem;
    }

    /** The contract's codes of each status (an operation gets those that can happen to it). */
    private static final Map<String, String> CODES = Map.ofEntries(
            Map.entry("400", "MALFORMED_REQUEST"),
            Map.entry("401", "UNAUTHENTICATED"),
            Map.entry("403", "CROSS_SITE_REQUEST"),
            Map.entry("404", "NOT_FOUND"),
            Map.entry("409", "CONFLICT, CALENDAR_READ_ONLY"),
            Map.entry("410", "CURSOR_EXPIRED"),
            Map.entry("412", "PRECONDITION_FAILED"),
            Map.entry("413", "PAYLOAD_TOO_LARGE"),
            Map.entry("415", "UNSUPPORTED_MEDIA_TYPE"),
            Map.entry(
                    "422",
                    "VALIDATION_FAILED (or a precise code: ICS_UNREACHABLE, ICS_INVALID, URL_NOT_ALLOWED,"
                            + " CALDAV_AUTH_FAILED, CALDAV_NOT_FOUND, NOT_AN_ATTENDEE, IDEMPOTENCY_KEY_REUSED)"),
            Map.entry("429", "RATE_LIMITED"),
            Map.entry("502", "PROVIDER_UNAVAILABLE"),
            Map.entry("503", "SERVICE_UNAVAILABLE"));

    private static void addProblems(String path, PathItem.HttpMethod method, Operation op) {
        ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
        boolean callback = path.endsWith("/callback");
        boolean write = method != PathItem.HttpMethod.GET;
        boolean body = op.getRequestBody() != null;
        List<String> statuses = new java.util.ArrayList<>(List.of("400"));
        if (!callback) {
            statuses.add("401");
        }
        if (write && !callback) {
            statuses.add("403");
        }
        if (path.contains("{")) {
            statuses.add("404");
        }
        if (path.startsWith("/api/v1/calendar/events") && write && !path.endsWith("/retry-sync")) {
            statuses.add("409");
        }
        if (path.equals("/api/v1/calendar/events/changes")) {
            statuses.add("410");
        }
        if (path.equals("/api/v1/calendar/events/{id}")
                && (method == PathItem.HttpMethod.PUT || method == PathItem.HttpMethod.DELETE)) {
            statuses.add("412");
        }
        if (body) {
            statuses.addAll(List.of("413", "415"));
        }
        if (body || (op.getParameters() != null && !op.getParameters().isEmpty()) || path.contains("{")) {
            statuses.add("422");
        }
        if (LimitClass.of(method.name(), path.replaceAll("\\{[^}]+}", "x")).isPresent()
                || path.equals("/api/v1/calendar/stream")) {
            statuses.add("429");
        }
        if (path.startsWith("/api/v1/calendar/oauth") || path.startsWith("/api/v1/calendar/caldav")) {
            statuses.add("502");
        }
        statuses.add("503");
        for (String status : statuses) {
            if (responses.containsKey(status)) {
                responses.remove(status); // a framework default without the problem schema: replaced
            }
            ApiResponse r = new ApiResponse()
                    .description(CODES.get(status))
                    .content(new Content()
                            .addMediaType(
                                    "application/problem+json",
                                    new MediaType()
                                            .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))
                                            .addExamples(status, new Example().value(example(status, path)))));
            if (status.equals("429")) {
                r.addHeaderObject(
                        "Retry-After",
                        new Header()
                                .description("Seconds until the next request of this class is allowed")
                                .schema(new IntegerSchema()));
            }
            responses.addApiResponse(status, r);
        }
        // Status order: successes first, then errors ascending.
        ApiResponses ordered = new ApiResponses();
        new TreeMap<>(responses).forEach(ordered::addApiResponse);
        op.setResponses(ordered);
    }

    private static Map<String, Object> example(String status, String path) {
        Map<String, Object> e = new LinkedHashMap<>();
        String code = CODES.get(status).split("[ ,(]")[0];
        e.put(
                "type",
                "https://calsync.dev/problems/"
                        + code.toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        e.put(
                "title",
                org.springframework.http.HttpStatus.valueOf(Integer.parseInt(status))
                        .getReasonPhrase());
        e.put("status", Integer.parseInt(status));
        e.put("detail", status.equals("422") ? "title must not be longer than 1024 characters" : "see code");
        e.put("instance", path);
        e.put("code", code);
        if (status.equals("422")) {
            Map<String, Object> error = new LinkedHashMap<>(); // ordered: the checked-in document must not vary
            error.put("field", "title");
            error.put("message", "must not be longer than 1024 characters");
            e.put("errors", List.of(error));
        }
        return e;
    }
}
