package io.calsync.bench.support;

import java.util.List;

/**
 * The words the benches' seeders make their calendars of (zones, meeting topics, teams, rooms, people, answers), so
 * that every bench seeds the same kind of calendar.
 */
public final class SampleWords {

    public static final List<String> ZONES =
            List.of("Europe/Berlin", "America/New_York", "Europe/London", "Asia/Tokyo", "UTC");
    public static final String[] TOPICS = {
        "Sprint planning",
        "1:1",
        "Design review",
        "Customer call",
        "Budget sync",
        "Hiring panel",
        "Roadmap",
        "Incident review",
        "Lunch",
        "Architecture",
        "Standup",
        "Demo",
        "Retro",
        "Vendor meeting",
        "Onboarding",
        "Quarterly review",
        "Interview",
        "Coffee chat",
        "Release planning",
        "Security review"
    };
    public static final String[] TEAMS = {"Platform", "Payments", "Mobile", "Growth", "Data", "Infra", "Sales", "Legal"
    };
    public static final String[] ROOMS = {
        "Room 4.12",
        "Main hall",
        "Berlin office, 3rd floor",
        "https://meet.example.com/abc-defg-hij",
        "Cafe Einstein",
        "NYC HQ 22B"
    };
    public static final String[] FIRST = {
        "anna", "ben", "chen", "dana", "emil", "fatima", "george", "hana", "ivan", "julia", "kofi", "lena", "marco",
        "nina", "omar", "petra", "quinn", "rosa", "sven", "tara"
    };
    public static final String[] LAST = {"schmidt", "miller", "tanaka", "garcia", "okafor", "novak", "rossi", "kim"};
    public static final String[] RESPONSES = {"accepted", "accepted", "accepted", "needsAction", "tentative", "declined"
    };
    public static final String[] WEEKDAYS = {"MO", "TU", "WE", "TH", "FR"};

    private SampleWords() {}
}
