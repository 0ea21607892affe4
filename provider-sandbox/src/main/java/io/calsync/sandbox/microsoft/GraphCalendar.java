package io.calsync.sandbox.microsoft;

import io.calsync.sandbox.core.Account;
import tools.jackson.databind.node.ObjectNode;

/**
 * One calendar of a mailbox. Mutable under the store's lock only; everything outside the store sees
 * {@link #copy()}s.
 */
public final class GraphCalendar {

    private final String id;
    private final String accountId;
    private final boolean defaultCalendar;
    private String name;
    private String color;
    private String hexColor;
    private String changeKey;

    GraphCalendar(
            String id,
            String accountId,
            String name,
            String color,
            String hexColor,
            boolean defaultCalendar,
            String changeKey) {
        this.id = id;
        this.accountId = accountId;
        this.name = name;
        this.color = color;
        this.hexColor = hexColor;
        this.defaultCalendar = defaultCalendar;
        this.changeKey = changeKey;
    }

    GraphCalendar copy() {
        return new GraphCalendar(id, accountId, name, color, hexColor, defaultCalendar, changeKey);
    }

    public String id() {
        return id;
    }

    public String accountId() {
        return accountId;
    }

    public String name() {
        return name;
    }

    public String color() {
        return color;
    }

    public String hexColor() {
        return hexColor;
    }

    public boolean isDefault() {
        return defaultCalendar;
    }

    public String changeKey() {
        return changeKey;
    }

    void update(String newName, String newColor, String newHexColor, String newChangeKey) {
        if (newName != null) {
            name = newName;
        }
        if (newColor != null) {
            color = newColor;
        }
        if (newHexColor != null) {
            hexColor = newHexColor;
        }
        changeKey = newChangeKey;
    }

    /** As {@code GET /me/calendars} writes it (field order of a real mailbox). */
    public ObjectNode toJson(Account owner) {
        ObjectNode j = GraphJson.object();
        j.put("id", id);
        j.put("name", name);
        j.put("color", color);
        j.put("hexColor", hexColor);
        j.put("groupClassId", "0006f0b7-0000-0000-c000-000000000046");
        j.put("isDefaultCalendar", defaultCalendar);
        j.put("changeKey", changeKey);
        j.put("canShare", true);
        j.put("canViewPrivateItems", true);
        j.put("canEdit", true);
        j.putArray("allowedOnlineMeetingProviders").add("teamsForBusiness");
        j.put("defaultOnlineMeetingProvider", "teamsForBusiness");
        j.put("isTallyingResponses", defaultCalendar);
        j.put("isRemovable", !defaultCalendar);
        ObjectNode o = j.putObject("owner");
        o.put("name", owner.displayName());
        o.put("address", owner.email());
        return j;
    }
}
