package io.calsync.sandbox.microsoft;

import io.calsync.sandbox.core.Account;
import io.calsync.sandbox.core.Provider;
import io.calsync.sandbox.oauth.OAuthEngine;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** What every Graph endpoint shares: bearer authentication, absolute links, OData responses, query options. */
@Component
class GraphHttp {

    static final String PREFIX = "/graph/v1.0";
    /** The content type Graph answers JSON with. */
    static final MediaType ODATA_JSON = MediaType.parseMediaType(
            "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8");

    private final OAuthEngine oauth;

    GraphHttp(OAuthEngine oauth) {
        this.oauth = oauth;
    }

    /** The signed-in user of a Microsoft bearer token, or 401 InvalidAuthenticationToken. */
    Account me(String authorization) {
        return oauth.authenticate(Provider.MICROSOFT, authorization)
                .map(OAuthEngine.AccessToken::account)
                .orElseThrow(() -> new GraphException(401, "InvalidAuthenticationToken", "Access token is empty."));
    }

    /** The user a {@code /users/{id}} path names: only the signed-in user's own mailbox is reachable. */
    Account user(String authorization, String user) {
        Account me = me(authorization);
        if (user != null && !user.equalsIgnoreCase(me.id()) && !user.equalsIgnoreCase(me.email())) {
            throw new GraphException(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
        }
        return me;
    }

    /** {@code http://host:port/graph/v1.0}, the root of absolute links and contexts. */
    static String root() {
        return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString() + PREFIX;
    }

    static String context(String fragment) {
        return root() + "/$metadata#" + fragment;
    }

    /** The request's path and query as an absolute URL with {@code $skip} set, for {@code @odata.nextLink}. */
    static String withSkip(HttpServletRequest request, int skip) {
        List<String> parts = new ArrayList<>();
        Map<String, String[]> params = request.getParameterMap();
        params.forEach((k, vs) -> {
            if (!k.equalsIgnoreCase("$skip")) {
                for (String v : vs) {
                    parts.add(k + "="
                            + java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)
                                    .replace("+", "%20"));
                }
            }
        });
        parts.add("$skip=" + skip);
        return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString() + request.getRequestURI()
                + "?" + String.join("&", parts);
    }

    /** A query option regardless of case ({@code startdatetime} works as well as {@code startDateTime}). */
    static String param(HttpServletRequest request, String name) {
        for (Map.Entry<String, String[]> e : request.getParameterMap().entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && e.getValue().length > 0) {
                return e.getValue()[0];
            }
        }
        return null;
    }

    static int intParam(HttpServletRequest request, String name, int fallback) {
        String v = param(request, name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new GraphException(400, "BadRequest", "Invalid value '" + v + "' for query option '" + name + "'.");
    }

    static PreferHeader prefer(HttpServletRequest request) {
        return PreferHeader.parse(request.getHeaders("Prefer"));
    }

    /** {@code $select}: the listed properties plus {@code @odata.etag} and {@code id}, as Graph keeps them. */
    static ObjectNode select(ObjectNode json, HttpServletRequest request) {
        String select = param(request, "$select");
        if (select == null || select.isBlank()) {
            return json;
        }
        Set<String> wanted = Arrays.stream(select.split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        List<String> drop = json.propertyNames().stream()
                .filter(k ->
                        !k.startsWith("@odata.") && !k.equals("id") && !wanted.contains(k.toLowerCase(Locale.ROOT)))
                .toList();
        return json.remove(drop);
    }

    static ObjectNode collection(String context, ArrayNode value, String nextLink) {
        ObjectNode body = GraphJson.object();
        body.put("@odata.context", context);
        if (nextLink != null) {
            body.put("@odata.nextLink", nextLink);
        }
        body.set("value", value);
        return body;
    }

    static ResponseEntity<String> ok(ObjectNode body, String preferenceApplied) {
        return respond(200, body, preferenceApplied);
    }

    static ResponseEntity<String> respond(int status, ObjectNode body, String preferenceApplied) {
        String requestId = UUID.randomUUID().toString();
        ResponseEntity.BodyBuilder b = ResponseEntity.status(status)
                .contentType(ODATA_JSON)
                .header("request-id", requestId)
                .header("client-request-id", requestId)
                .header(HttpHeaders.CACHE_CONTROL, "private");
        if (preferenceApplied != null) {
            b.header("Preference-Applied", preferenceApplied);
        }
        return b.body(GraphJson.write(body));
    }

    static ResponseEntity<String> noContent() {
        return ResponseEntity.noContent()
                .header("request-id", UUID.randomUUID().toString())
                .build();
    }
}
