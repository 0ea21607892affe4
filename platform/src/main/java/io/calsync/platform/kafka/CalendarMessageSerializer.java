package io.calsync.platform.kafka;

import io.calsync.model.messaging.CalendarMessage;
import io.calsync.model.messaging.MessageCodec;
import org.apache.kafka.common.serialization.Serializer;

/** Writes {@link CalendarMessage}s as JSON with their logical type id (see {@link MessageCodec}). */
public class CalendarMessageSerializer implements Serializer<CalendarMessage> {

    @Override
    public byte[] serialize(String topic, CalendarMessage data) {
        return data == null ? null : MessageCodec.encodeBytes(data);
    }
}
