package dev.billing.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LevelCheckedLogFactoryTest {

    /** A message that counts how often it is rendered. */
    static final class Counted {
        final AtomicInteger renders = new AtomicInteger();

        @Override
        public String toString() {
            renders.incrementAndGet();
            return "rendered";
        }
    }

    @Test
    void commonsLoggingFindsItThroughTheServiceLoader() {
        assertThat(LogFactory.getFactory()).isInstanceOf(LevelCheckedLogFactory.class);
        assertThat(LogFactory.getLog(LevelCheckedLogFactoryTest.class)).isInstanceOf(LevelCheckedLog.class);
    }

    @Test
    void aMessageAtADisabledLevelIsNeverRendered() {
        String name = "level-checked.disabled";
        ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.INFO);
        Log log = LogFactory.getLog(name);
        Counted message = new Counted();

        log.trace(message);
        log.debug(message);
        log.debug(message, new IllegalStateException());

        assertThat(message.renders).hasValue(0);
    }

    @Test
    void aMessageAtAnEnabledLevelStillReachesSlf4j() {
        String name = "level-checked.enabled";
        ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.DEBUG);
        Log log = LogFactory.getLog(name);
        Counted message = new Counted();

        log.debug(message);
        log.warn(message);

        assertThat(message.renders).hasValue(2);
    }
}
