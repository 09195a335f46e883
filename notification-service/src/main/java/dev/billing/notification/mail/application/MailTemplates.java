package dev.billing.notification.mail.application;

import com.samskivert.mustache.Escapers;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import dev.billing.notification.config.NotificationProperties;
import dev.billing.notification.mail.domain.MailKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Renders a mail from {@code classpath:templates/mail/}: the kind's body ({@code <name>.html.mustache},
 * {@code <name>.txt.mustache}) inside the shared layout ({@code layout.html|txt.mustache}); partials
 * (such as {@code {{>greeting}}}) come from the same folder. Every template is compiled at start-up, so a
 * missing or broken one stops the service rather than a mail. A variable a template names but the
 * model lacks is an error (a blank link would be worse than no mail).
 */
@Component
public class MailTemplates {

    static final String ROOT = "templates/mail/";

    public record RenderedMail(String subject, String text, String html) {}

    private record Pair(Template html, Template text) {}

    private final NotificationProperties props;
    private final Pair layout;
    private final Map<MailKind, Pair> bodies = new EnumMap<>(MailKind.class);
    private final Map<MailKind, Template> subjects = new EnumMap<>(MailKind.class);

    public MailTemplates(NotificationProperties props) {
        this.props = props;
        // HTML escaping without '=' and '`' (JMustache's default escapes them too), so links stay readable
        Mustache.Compiler html = Mustache.compiler()
                .withEscaper(Escapers.simple(
                        new String[][] {{"&", "&amp;"}, {"'", "&#39;"}, {"\"", "&quot;"}, {"<", "&lt;"}, {">", "&gt;"}
                        }))
                .nullValue("")
                .emptyStringIsFalse(true)
                .withLoader(MailTemplates::partial);
        Mustache.Compiler text = html.escapeHTML(false);
        this.layout = new Pair(html.compile(read("layout.html")), text.compile(read("layout.txt")));
        for (MailKind kind : MailKind.values()) {
            bodies.put(
                    kind,
                    new Pair(
                            html.compile(read(kind.template() + ".html")),
                            text.compile(read(kind.template() + ".txt"))));
            subjects.put(kind, text.compile(kind.subject()));
        }
    }

    /** The subject alone (it goes into the log when the event arrives). */
    public String subject(MailKind kind, Map<String, Object> eventModel) {
        return subjects.get(kind).execute(model(eventModel)).strip();
    }

    /** Subject, plain text and HTML of one mail. */
    public RenderedMail render(MailKind kind, Map<String, Object> eventModel) {
        Map<String, Object> model = model(eventModel);
        String subject = subjects.get(kind).execute(model).strip();
        model.put("subject", subject);
        Pair body = bodies.get(kind);
        Map<String, Object> htmlModel = new HashMap<>(model);
        htmlModel.put("content", body.html().execute(model));
        Map<String, Object> textModel = new HashMap<>(model);
        textModel.put("content", body.text().execute(model).strip());
        return new RenderedMail(
                subject, layout.text().execute(textModel), layout.html().execute(htmlModel));
    }

    /** The event's fields plus the business's settings and the links built from them. */
    private Map<String, Object> model(Map<String, Object> eventModel) {
        Map<String, Object> model = new HashMap<>(eventModel);
        String web = props.publicWebUrl();
        var links = props.links();
        model.putIfAbsent("name", "");
        model.put("businessName", props.businessName());
        model.put("supportEmail", props.supportEmail());
        model.put("webUrl", web);
        model.put("loginUrl", web + links.login());
        model.put("billingUrl", web + links.billing());
        Object token = eventModel.get("token");
        if (token != null) {
            String query = "?token=" + URLEncoder.encode(token.toString(), StandardCharsets.UTF_8);
            model.put("verifyUrl", web + links.verifyEmail() + query);
            model.put("resetUrl", web + links.resetPassword() + query);
        }
        return model;
    }

    private static Reader partial(String name) {
        return new InputStreamReader(open(name + ".mustache"), StandardCharsets.UTF_8);
    }

    private static String read(String name) {
        try (InputStream in = open(name + ".mustache")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String file) {
        InputStream in = MailTemplates.class.getClassLoader().getResourceAsStream(ROOT + file);
        if (in == null) {
            throw new IllegalStateException("missing mail template " + ROOT + file);
        }
        return in;
    }
}
