package dev.billing.notification.it;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * One real SMTP server (GreenMail) per test JVM, on the port the test configuration names. Tests
 * that take it down get a fresh instance when they bring it back (a stopped GreenMail does not
 * start again); mails received before that are gone with the old one.
 */
final class MailServer {

    static final int PORT = 39025;

    private static GreenMail server;
    private static boolean hookAdded;

    private MailServer() {}

    static synchronized GreenMail get() {
        if (server == null) {
            server = new GreenMail(new ServerSetup(PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            server.start();
            if (!hookAdded) {
                hookAdded = true;
                Runtime.getRuntime().addShutdownHook(new Thread(MailServer::stop, "greenmail-stop"));
            }
        }
        return server;
    }

    /** The SMTP server goes away: connections to its port are refused. */
    static synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    static synchronized void start() {
        get();
    }
}
