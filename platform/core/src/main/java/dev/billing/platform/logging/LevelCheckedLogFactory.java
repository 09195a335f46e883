package dev.billing.platform.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.commons.logging.impl.Slf4jLogFactory;

/**
 * The SLF4J-backed logs commons-logging would hand out, with the level checked before the message
 * is rendered. commons-logging's own SLF4J bridge calls {@code String.valueOf(message)} first, so
 * every disabled debug line in Spring ({@code logger.debug(LogMessage.format(...))}, lazy by
 * design) was formatted anyway: Spring Security's matcher {@code toString()}s alone took a fifth of
 * its chain's CPU per request at the gateway (spring-framework#37266 fixed only
 * {@code LogAccessor}). Found by commons-logging through
 * {@code META-INF/services/org.apache.commons.logging.LogFactory}, ahead of its SLF4J detection.
 */
public final class LevelCheckedLogFactory extends LogFactory {

    private final LogFactory slf4j = new Slf4jLogFactory();
    private final ConcurrentMap<String, Log> logs = new ConcurrentHashMap<>();

    @Override
    public Log getInstance(String name) {
        return logs.computeIfAbsent(name, n -> new LevelCheckedLog(slf4j.getInstance(n)));
    }

    @Override
    public Log getInstance(Class<?> clazz) {
        return getInstance(clazz.getName());
    }

    @Override
    public Object getAttribute(String name) {
        return slf4j.getAttribute(name);
    }

    @Override
    public String[] getAttributeNames() {
        return slf4j.getAttributeNames();
    }

    @Override
    public void removeAttribute(String name) {
        slf4j.removeAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        slf4j.setAttribute(name, value);
    }

    @Override
    public void release() {
        logs.clear();
        slf4j.release();
    }
}
