package io.calsync.providers.oauth;

import io.calsync.model.domain.CalendarProvider;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where Google and Microsoft live, and who we are to them: built from the contract's variables ({@code GOOGLE_*},
 * {@code MICROSOFT_*}, {@code GOOGLE_USERINFO_URI}, {@code GOOGLE_API_BASE_URL}, {@code MICROSOFT_AUTHORITY},
 * {@code MICROSOFT_GRAPH_BASE_URL}) with the contract's defaults. Every provider endpoint must be https, or http on a
 * loopback address (sandboxes and tests); anything else is refused at start.
 */
public final class ProviderEndpoints {

    /** Google Calendar read/write and the account's email (userinfo). */
    public static final List<String> GOOGLE_SCOPES = List.of(
            "openid",
            "email",
            "https://www.googleapis.com/auth/calendar",
            "https://www.googleapis.com/auth/calendar.events");

    /** Microsoft Graph: a refresh token, calendars read/write, the account's profile. */
    public static final List<String> MICROSOFT_SCOPES = List.of("offline_access", "Calendars.ReadWrite", "User.Read");

    /** One provider's client registration and endpoints. */
    public record Provider(
            CalendarProvider provider,
            String clientId,
            String clientSecret,
            URI redirectUri,
            URI authorizationUri,
            URI tokenUri,
            List<String> scopes) {

        public Provider {
            Objects.requireNonNull(provider);
            scopes = List.copyOf(scopes);
        }

        /** Whether a client id and secret are configured (a service may run without one provider). */
        public boolean configured() {
            return clientId != null && !clientId.isBlank() && clientSecret != null && !clientSecret.isBlank();
        }

        @Override
        public String toString() { // never the secret
            return "Provider[" + provider + ", clientId=" + clientId + ", tokenUri=" + tokenUri + "]";
        }
    }

    private final Provider google;
    private final Provider microsoft;
    private final URI googleUserinfoUri;
    private final URI googleApiBaseUrl;
    private final URI microsoftGraphBaseUrl;

    public ProviderEndpoints(
            Provider google,
            Provider microsoft,
            URI googleUserinfoUri,
            URI googleApiBaseUrl,
            URI microsoftGraphBaseUrl) {
        this.google = google;
        this.microsoft = microsoft;
        this.googleUserinfoUri = requireProviderEndpoint("GOOGLE_USERINFO_URI", googleUserinfoUri);
        this.googleApiBaseUrl = requireProviderEndpoint("GOOGLE_API_BASE_URL", googleApiBaseUrl);
        this.microsoftGraphBaseUrl = requireProviderEndpoint("MICROSOFT_GRAPH_BASE_URL", microsoftGraphBaseUrl);
        requireProviderEndpoint("GOOGLE_AUTH_URI", google.authorizationUri());
        requireProviderEndpoint("GOOGLE_TOKEN_URI", google.tokenUri());
        requireProviderEndpoint("MICROSOFT_AUTHORITY", microsoft.authorizationUri());
        requireProviderEndpoint("MICROSOFT_AUTHORITY", microsoft.tokenUri());
    }

    /**
     * Reads the contract's variables through {@code lookup} (a Spring {@code Environment::getProperty} or
     * {@code System::getenv}); missing ones take the contract's defaults.
     */
    public static ProviderEndpoints from(Function<String, String> lookup) {
        Function<String, String> get = name -> {
            String v = lookup.apply(name);
            return v == null || v.isBlank() ? null : v.trim();
        };
        String tenant = orDefault(get.apply("MICROSOFT_TENANT_ID"), "common");
        String authority = stripTrailingSlash(
                orDefault(get.apply("MICROSOFT_AUTHORITY"), "https://login.microsoftonline.com/" + tenant));
        Provider google = new Provider(
                CalendarProvider.GOOGLE,
                get.apply("GOOGLE_CLIENT_ID"),
                get.apply("GOOGLE_CLIENT_SECRET"),
                uri(
                        "GOOGLE_REDIRECT_URI",
                        orDefault(
                                get.apply("GOOGLE_REDIRECT_URI"),
                                "http://localhost:8080/api/v1/calendar/oauth/google/callback")),
                uri(
                        "GOOGLE_AUTH_URI",
                        orDefault(get.apply("GOOGLE_AUTH_URI"), "https://accounts.google.com/o/oauth2/v2/auth")),
                uri(
                        "GOOGLE_TOKEN_URI",
                        orDefault(get.apply("GOOGLE_TOKEN_URI"), "https://oauth2.googleapis.com/token")),
                GOOGLE_SCOPES);
        Provider microsoft = new Provider(
                CalendarProvider.MICROSOFT,
                get.apply("MICROSOFT_CLIENT_ID"),
                get.apply("MICROSOFT_CLIENT_SECRET"),
                uri(
                        "MICROSOFT_REDIRECT_URI",
                        orDefault(
                                get.apply("MICROSOFT_REDIRECT_URI"),
                                "http://localhost:8080/api/v1/calendar/oauth/microsoft/callback")),
                uri("MICROSOFT_AUTHORITY", authority + "/oauth2/v2.0/authorize"),
                uri("MICROSOFT_AUTHORITY", authority + "/oauth2/v2.0/token"),
                MICROSOFT_SCOPES);
        return new ProviderEndpoints(
                google,
                microsoft,
                uri(
                        "GOOGLE_USERINFO_URI",
                        orDefault(
                                get.apply("GOOGLE_USERINFO_URI"), "https://openidconnect.googleapis.com/v1/userinfo")),
                uri("GOOGLE_API_BASE_URL", orDefault(get.apply("GOOGLE_API_BASE_URL"), "https://www.googleapis.com/")),
                uri(
                        "MICROSOFT_GRAPH_BASE_URL",
                        stripTrailingSlash(
                                orDefault(get.apply("MICROSOFT_GRAPH_BASE_URL"), "https://graph.microsoft.com/v1.0"))));
    }

    public Provider provider(CalendarProvider provider) {
        return switch (provider) {
            case GOOGLE -> google;
            case MICROSOFT -> microsoft;
            default -> throw new IllegalArgumentException("no OAuth provider " + provider);
        };
    }

    public Provider google() {
        return google;
    }

    public Provider microsoft() {
        return microsoft;
    }

    public URI googleUserinfoUri() {
        return googleUserinfoUri;
    }

    /** The root the Calendar v3 paths hang from, with a trailing slash. */
    public String googleApiRootUrl() {
        String s = googleApiBaseUrl.toString();
        return s.endsWith("/") ? s : s + "/";
    }

    /** The Graph v1.0 base URL, without a trailing slash. */
    public String microsoftGraphBaseUrl() {
        return microsoftGraphBaseUrl.toString();
    }

    /** https, or http only on loopback; what this service may call as a provider. */
    static URI requireProviderEndpoint(String variable, URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(variable + " must be an absolute http(s) URL");
        }
        if (scheme.equals("https")) {
            return uri;
        }
        if (scheme.equals("http") && isLoopback(uri.getHost())) {
            return uri;
        }
        throw new IllegalArgumentException(variable + " must use https (plain http only on a loopback address)");
    }

    static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Only literal addresses: a name other than localhost is never resolved here.
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static URI uri(String variable, String value) {
        try {
            return URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(variable + " is not a valid URL");
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static String stripTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
