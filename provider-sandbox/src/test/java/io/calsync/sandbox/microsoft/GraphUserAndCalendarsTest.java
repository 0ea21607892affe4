package io.calsync.sandbox.microsoft;

import static io.calsync.sandbox.microsoft.GraphTestSupport.call;
import static io.calsync.sandbox.microsoft.GraphTestSupport.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.microsoft.graph.models.Calendar;
import com.microsoft.graph.models.CalendarCollectionResponse;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.odataerrors.ODataError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code /me} and calendars through the official Graph SDK. */
class GraphUserAndCalendarsTest {

    @Test
    void meDescribesTheSignedInUser() {
        GraphTestSupport.User u = newUser();
        User me = u.graph().me().get();
        assertThat(me.getId()).isEqualTo(u.id());
        assertThat(me.getMail()).isEqualTo(u.account().email());
        assertThat(me.getUserPrincipalName()).isEqualTo(u.account().email());
        assertThat(me.getDisplayName()).isEqualTo(u.account().displayName());
        assertThat(me.getGivenName()).isEqualTo("Megan");
        assertThat(me.getSurname()).isNotBlank();
    }

    @Test
    void everyCallNeedsAValidMicrosoftToken() {
        var noToken = call("GET", "/graph/v1.0/me", null, null);
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.json().at("/error/code").asString()).isEqualTo("InvalidAuthenticationToken");

        ODataError e = catchThrowableOfType(
                ODataError.class,
                () -> GraphTestSupport.client("EwB4A8l6BAAUnot-a-token")
                        .me()
                        .calendars()
                        .get());
        assertThat(e.getResponseStatusCode()).isEqualTo(401);
        assertThat(e.getError().getCode()).isEqualTo("InvalidAuthenticationToken");
    }

    @Test
    void unknownResourcesAreBadRequestsLikeGraph() {
        GraphTestSupport.User u = newUser();
        var r = call("GET", "/graph/v1.0/me/messages", u.token(), null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/message").asString())
                .isEqualTo("Resource not found for the segment 'messages'.");
        assertThat(call("GET", "/graph/v1.0/me/messages", null, null).status()).isEqualTo(401);
    }

    @Test
    void aNewMailboxHasItsDefaultCalendar() {
        GraphTestSupport.User u = newUser();
        List<Calendar> calendars = u.graph().me().calendars().get().getValue();
        assertThat(calendars).hasSize(1);
        Calendar c = calendars.getFirst();
        assertThat(c.getName()).isEqualTo("Calendar");
        assertThat(c.getIsDefaultCalendar()).isTrue();
        assertThat(c.getCanEdit()).isTrue();
        assertThat(c.getIsRemovable()).isFalse();
        assertThat(c.getOwner().getAddress()).isEqualTo(u.account().email());
        assertThat(c.getChangeKey()).isNotBlank();
        assertThat(u.graph().me().calendar().get().getId()).isEqualTo(c.getId());
        assertThat(u.graph().me().calendars().byCalendarId(c.getId()).get().getName())
                .isEqualTo("Calendar");
    }

    @Test
    void calendarsPageWithTopAndNextLink() {
        GraphTestSupport.User u = newUser();
        for (String name : List.of("Work", "Family", "Holidays", "Gym")) {
            store().createCalendar(u.account(), name, null);
        }
        Calendar created = new Calendar();
        created.setName("Made through Graph");
        assertThat(u.graph().me().calendars().post(created).getIsDefaultCalendar())
                .isFalse();

        List<String> names = new ArrayList<>();
        CalendarCollectionResponse page = u.graph().me().calendars().get(rc -> rc.queryParameters.top = 2);
        int pages = 1;
        page.getValue().forEach(c -> names.add(c.getName()));
        while (page.getOdataNextLink() != null) {
            assertThat(page.getOdataNextLink())
                    .startsWith(GraphTestSupport.sandbox().baseUrl() + "/graph/v1.0/me/calendars?");
            page = u.graph().me().calendars().withUrl(page.getOdataNextLink()).get();
            page.getValue().forEach(c -> names.add(c.getName()));
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(names).containsExactly("Calendar", "Work", "Family", "Holidays", "Gym", "Made through Graph");
    }

    @Test
    void anotherUsersCalendarIsNotFound() {
        GraphTestSupport.User alice = newUser();
        GraphTestSupport.User bob = newUser();
        String bobs = bob.graph().me().calendar().get().getId();
        ODataError e = catchThrowableOfType(
                ODataError.class,
                () -> alice.graph().me().calendars().byCalendarId(bobs).get());
        assertThat(e.getResponseStatusCode()).isEqualTo(404);
        assertThat(e.getError().getCode()).isEqualTo("ErrorItemNotFound");
        assertThat(e.getError().getMessage()).isEqualTo("The specified object was not found in the store.");
    }

    private static MicrosoftStore store() {
        return GraphTestSupport.store();
    }
}
