package io.calsync.providers.google;

import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.CalendarList;
import com.google.api.services.calendar.model.CalendarListEntry;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import io.calsync.providers.oauth.ProviderEndpoints;
import io.calsync.providers.port.ProviderAccount;
import io.calsync.providers.port.ProviderAccount.OfferedCalendar;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderException.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Lazy;

/**
 * A Google account right after the consent: its email from the OpenID Connect userinfo endpoint (Nimbus SDK) and its
 * calendar list through the same Calendar API client as the sync ({@link GoogleClients}).
 */
@Lazy // built only in a service that injects it; registered by ProvidersAutoConfiguration
public class GoogleAccounts {

    private final ProviderEndpoints endpoints;

    public GoogleAccounts(ProviderEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    public ProviderAccount read(String accessToken) {
        return new ProviderAccount(email(accessToken), calendars(accessToken));
    }

    private String email(String accessToken) {
        try {
            UserInfoResponse response = UserInfoResponse.parse(
                    new UserInfoRequest(endpoints.googleUserinfoUri(), new BearerAccessToken(accessToken))
                            .toHTTPRequest()
                            .send());
            if (!response.indicatesSuccess()) {
                int status = response.toErrorResponse().getErrorObject().getHTTPStatusCode();
                throw new ProviderException(Kind.PERMANENT, status, "userinfo", "Google userinfo refused: " + status);
            }
            String email = response.toSuccessResponse().getUserInfo().getEmailAddress();
            if (email == null) {
                throw new ProviderException(Kind.PERMANENT, 200, "noEmail", "Google userinfo has no email");
            }
            return email;
        } catch (IOException | ParseException e) {
            throw new ProviderException(
                    Kind.TRANSIENT,
                    0,
                    "io",
                    "Google userinfo failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    private List<OfferedCalendar> calendars(String accessToken) {
        Calendar calendar = GoogleClients.calendar(endpoints.googleApiRootUrl());
        List<OfferedCalendar> out = new ArrayList<>();
        String page = null;
        do {
            Calendar.CalendarList.List request;
            try {
                request = calendar.calendarList().list().setMaxResults(250).setPageToken(page);
            } catch (IOException e) { // building the request does no I/O; the client declares it anyway
                throw new ProviderException(Kind.PERMANENT, 0, "invalidRequest", "Google calendarList not sent");
            }
            CalendarList list =
                    GoogleClients.execute(request, accessToken, "calendarList", GoogleErrors.Call.OTHER, null);
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
        return out;
    }
}
