package io.calsync.platform.ics;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/** The {@link IcsParser}, for services that read feeds. */
@AutoConfiguration
public class IcsAutoConfiguration {

    @Bean
    @Lazy // loading the parser sets ical4j's JVM-wide hints: only where feeds are read
    @ConditionalOnMissingBean
    IcsParser icsParser() {
        return new IcsParser();
    }
}
