package io.calsync.providers.microsoft;

import io.calsync.providers.oauth.ProviderEndpoints;
import io.calsync.providers.port.ProviderAccount;
import io.calsync.providers.port.ProviderAccount.OfferedCalendar;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderException.Kind;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Lazy;
import tools.jackson.databind.JsonNode;

/**
 * A Microsoft account right after the consent: {@code /me} for its address and {@code /me/calendars} (all pages) for
 * what it offers, through the same Graph client as the sync ({@link GraphClient}), so there is one Graph client in the
 * system. Next links are followed only on the configured Graph origin.
 */
@Lazy // built only in a service that injects it; registered by ProvidersAutoConfiguration
public class GraphAccounts {

    private final GraphClient graph;

    public GraphAccounts(ProviderEndpoints endpoints) {
        this.graph = GraphClient.withoutRetries(endpoints.microsoftGraphBaseUrl());
    }

    public ProviderAccount read(String accessToken) {
        JsonNode me = graph.once("me", graph.url("/me"), accessToken);
        String email = text(me, "mail") != null ? text(me, "mail") : text(me, "userPrincipalName");
        if (email == null) {
            throw new ProviderException(Kind.PERMANENT, 200, "noMail", "Graph /me has no mail");
        }
        List<OfferedCalendar> calendars = new ArrayList<>();
        URI next = graph.url("/me/calendars?$top=100");
        while (next != null) {
            JsonNode page = graph.once("calendars", next, accessToken);
            for (JsonNode c : page == null
                    ? List.<JsonNode>of()
                    : page.path("value").valueStream().toList()) {
                boolean isDefault = c.path("isDefaultCalendar").asBoolean(false);
                String role = isDefault ? "owner" : c.path("canEdit").asBoolean(false) ? "writer" : "reader";
                calendars.add(
                        new OfferedCalendar(text(c, "id"), text(c, "name"), isDefault, text(c, "hexColor"), role));
            }
            next = page == null ? null : graph.link(text(page, "@odata.nextLink"));
        }
        return new ProviderAccount(email, calendars);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || !v.isString() || v.stringValue().isBlank() ? null : v.stringValue();
    }
}
