package io.calsync.providers.ical;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The text of a feed: bytes decoded, and a first look at whether it is iCalendar at all, so that an HTML login page
 * or a JSON error gets a clear refusal instead of a parser's complaint about line 1.
 */
final class IcsText {

    private IcsText() {}

    /**
     * Decodes a feed. RFC 5545 says UTF-8; a byte-order mark picks UTF-8 or UTF-16, and bytes that are not valid
     * UTF-8 are read as ISO-8859-1, the other encoding old exporters (Outlook 2003, PHP scripts) write.
     */
    static String decode(byte[] bytes) {
        if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
            return decode(bytes, 3, StandardCharsets.UTF_8);
        }
        if (startsWith(bytes, 0xFE, 0xFF)) {
            return new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16BE);
        }
        if (startsWith(bytes, 0xFF, 0xFE)) {
            return new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16LE);
        }
        return decode(bytes, 0, StandardCharsets.UTF_8);
    }

    private static String decode(byte[] bytes, int offset, Charset charset) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset))
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, offset, bytes.length - offset, StandardCharsets.ISO_8859_1);
        }
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Refuses text that is not iCalendar: empty, an HTML or XML page, JSON, or anything whose first line is not a
     * {@code BEGIN}. Whatever passes may still be broken; the repair pass and the parser deal with that.
     */
    static void requireICalendar(String text) {
        String start = text.stripLeading().replace("\uFEFF", "");
        if (start.isEmpty()) {
            throw new InvalidIcsException("the feed is empty");
        }
        String head = start.substring(0, Math.min(start.length(), 512)).toLowerCase(Locale.ROOT);
        if (head.startsWith("<")) {
            throw new InvalidIcsException(
                    head.contains("<html") || head.startsWith("<!doctype html")
                            ? "the URL returned an HTML page, not an iCalendar feed"
                            : "the URL returned XML or HTML, not an iCalendar feed");
        }
        if (head.startsWith("{") || head.startsWith("[")) {
            throw new InvalidIcsException("the URL returned JSON, not an iCalendar feed");
        }
        if (!head.startsWith("begin")) {
            throw new InvalidIcsException(
                    "the content is not an iCalendar feed (it does not start with BEGIN:VCALENDAR)");
        }
    }
}
