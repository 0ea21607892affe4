package io.calsync.oauth;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.calendar.model.CalendarList;
import com.google.api.services.calendar.model.CalendarListEntry;
import com.microsoft.graph.models.CalendarCollectionResponse;
import com.microsoft.graph.models.User;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.platform.oauth.ProviderEndpoints;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Who the account is and which calendars it has, with the providers' official SDKs (Google Calendar API client,
 * Microsoft Graph SDK) and the OpenID Connect userinfo request of the Nimbus SDK.
 */
@Component
class ProviderAccounts {

    /** One calendar as the session offers it (the contract's shape). */
    record OfferedCalendar(String id, String name, boolean isPrimary, String color, String accessRole) {}

    record Account(String email, List<OfferedCalendar> calendars) {}

    /** The provider could not be read (safe message). */
    static final class ProviderReadException extends RuntimeException {
        ProviderReadException(String message) {
            super(message, null, false, false);
        }
    }

    private final ProviderEndpoints endpoints;
    private final NetHttpTransport googleTransport = new NetHttpTransport();

    ProviderAccounts(ProviderEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    Account read(CalendarProvider provider, String accessToken) {
        return switch (provider) {
            case GOOGLE -> new Account(googleEmail(accessToken), googleCalendars(accessToken));
            case MICROSOFT -> microsoft(accessToken);
            default -> throw new IllegalArgumentException("no OAuth provider " + provider);
        };
    }

    private String googleEmail(String accessToken) {
        try {
            UserInfoResponse response = UserInfoResponse.parse(
                    new UserInfoRequest(endpoints.googleUserinfoUri(), new BearerAccessToken(accessToken))
                            .toHTTPRequest()
                            .send());
            if (!response.indicatesSuccess()) {
                throw new ProviderReadException("Google userinfo refused: "
                        + response.toErrorResponse().getErrorObject().getHTTPStatusCode());
            }
            var info = response.toSuccessResponse().getUserInfo();
            String email = info.getEmailAddress();
            if (email == null) {
                throw new ProviderReadException("Google userinfo has no email");
            }
            return email;
        } catch (IOException | ParseException e) {
            throw new ProviderReadException(
                    "Google userinfo failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    private List<OfferedCalendar> googleCalendars(String accessToken) {
        com.google.api.services.calendar.Calendar calendar = new com.google.api.services.calendar.Calendar.Builder(
                        googleTransport, GsonFactory.getDefaultInstance(), request -> {
                            request.getHeaders().setAuthorization("Bearer " + accessToken);
                            request.setConnectTimeout(5_000);
                            request.setReadTimeout(15_000);
                        })
                .setRootUrl(endpoints.googleApiRootUrl())
                .setApplicationName("calsync")
                .build();
        List<OfferedCalendar> out = new ArrayList<>();
        try {
            String page = null;
            do {
                CalendarList list = calendar.calendarList()
                        .list()
                        .setMaxResults(250)
                        .setPageToken(page)
                        .execute();
                if (list.getItems() != null) {
                    for (CalendarListEntry e : list.getItems()) {
                        out.add(new OfferedCalendar(
                                e.getId(),
                                e.getSummaryOverride() != null ? e.getSummaryOverride() : e.getSummary(),
                                Boolean.TRUE.equals(e.getPrimary()),
                                e.getBackgroundColor(),
                                e.getAccessRole() == null ? "reader" : e.getAccessRole()));
                    }
                }
                page = list.getNextPageToken();
            } while (page != null);
        } catch (IOException e) {
            throw new ProviderReadException(
                    "Google calendarList failed (" + e.getClass().getSimpleName() + ")");
        }
        return out;
    }

    private Account microsoft(String accessToken) {
        URI base = URI.create(endpoints.microsoftGraphBaseUrl());
        AccessTokenProvider tokens = new AccessTokenProvider() {
            private final AllowedHostsValidator hosts = new AllowedHostsValidator(base.getHost());

            @Override
            public String getAuthorizationToken(URI uri, Map<String, Object> context) {
                return hosts.isUrlHostValid(uri) ? accessToken : "";
            }

            @Override
            public AllowedHostsValidator getAllowedHostsValidator() {
                return hosts;
            }
        };
        GraphServiceClient graph = new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(tokens));
        graph.getRequestAdapter().setBaseUrl(endpoints.microsoftGraphBaseUrl());
        try {
            User me = graph.me().get();
            String email = me == null ? null : (me.getMail() != null ? me.getMail() : me.getUserPrincipalName());
            if (email == null) {
                throw new ProviderReadException("Graph /me has no mail");
            }
            List<OfferedCalendar> out = new ArrayList<>();
            CalendarCollectionResponse page = graph.me().calendars().get(r -> r.queryParameters.top = 100);
            while (page != null) {
                if (page.getValue() != null) {
                    for (com.microsoft.graph.models.Calendar c : page.getValue()) {
                        boolean isDefault = Boolean.TRUE.equals(c.getIsDefaultCalendar());
                        String role = isDefault ? "owner" : Boolean.TRUE.equals(c.getCanEdit()) ? "writer" : "reader";
                        out.add(new OfferedCalendar(c.getId(), c.getName(), isDefault, c.getHexColor(), role));
                    }
                }
                String next = page.getOdataNextLink();
                page = next == null
                        ? null
                        : graph.me().calendars().withUrl(next).get();
            }
            return new Account(email, out);
        } catch (ProviderReadException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ProviderReadException("Graph read failed (" + e.getClass().getSimpleName() + ")");
        }
    }
}
