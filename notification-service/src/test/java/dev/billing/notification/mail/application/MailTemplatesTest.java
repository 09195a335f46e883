package dev.billing.notification.mail.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.samskivert.mustache.MustacheException;
import dev.billing.notification.config.NotificationProperties;
import dev.billing.notification.mail.domain.MailKind;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MailTemplatesTest {

    static final NotificationProperties PROPS =
            new NotificationProperties("Acme Gym", "help@acme.test", "https://app.acme.test/", null, null, null, null);

    final MailTemplates templates = new MailTemplates(PROPS);

    /** A model with every field any template reads, as the listeners build it. */
    static Map<String, Object> model(String name) {
        Map<String, Object> m = new HashMap<>();
        m.put("name", name);
        m.put("token", "tok/en+1");
        m.put("code", "482913");
        m.put("expiresText", "23 November 2026, 09:41");
        m.put("planName", "Premium");
        m.put("periodEndText", "22 December 2026");
        m.put("atPeriodEnd", true);
        m.put("endsOn", "22 February 2027");
        m.put("endedOn", "22 February 2027");
        m.put("amountText", "14.99 USD");
        m.put("failureMessage", "Your card was declined.");
        m.put("nextRetryText", "25 January 2027");
        return m;
    }

    @Test
    void everyKindRendersTextAndHtmlInTheSharedLayout() {
        for (MailKind kind : MailKind.values()) {
            MailTemplates.RenderedMail mail = templates.render(kind, model("Jane"));
            assertThat(mail.subject()).as(kind.name()).isNotBlank().doesNotContain("{{");
            assertThat(mail.text()).as(kind.name()).startsWith("Acme Gym").contains("Hello Jane,", "help@acme.test");
            assertThat(mail.html())
                    .as(kind.name())
                    .contains("<!DOCTYPE html>", "<title>" + mail.subject(), "Hello Jane,", "mailto:help@acme.test");
        }
    }

    @Test
    void linksAreBuiltFromTheSettingsWithTheTokenEncoded() {
        var verify = templates.render(MailKind.VERIFY_EMAIL, model("Jane"));
        String link = "https://app.acme.test/verify-email?token=tok%2Fen%2B1";
        assertThat(verify.text()).contains(link);
        assertThat(verify.html()).contains("href=\"" + link + "\"");
        var reset = templates.render(MailKind.PASSWORD_RESET, model("Jane"));
        assertThat(reset.text()).contains("https://app.acme.test/reset-password?token=tok%2Fen%2B1");
        assertThat(templates.render(MailKind.PAYMENT_FAILED, model("Jane")).html())
                .contains("href=\"https://app.acme.test/account/billing\"");
        assertThat(templates.render(MailKind.WELCOME, model("Jane")).text()).contains("https://app.acme.test/login");
    }

    @Test
    void subjectsAreClearAndCarryNoSecret() {
        Map<String, Object> m = model("Jane");
        assertThat(templates.subject(MailKind.VERIFY_EMAIL, m)).isEqualTo("Confirm your email address for Acme Gym");
        assertThat(templates.subject(MailKind.PASSWORD_RESET, m)).isEqualTo("Reset your Acme Gym password");
        assertThat(templates.subject(MailKind.LOGIN_CODE, m)).isEqualTo("Your Acme Gym sign-in code");
        assertThat(templates.subject(MailKind.SUBSCRIPTION_ACTIVATED, m))
                .isEqualTo("Your Premium subscription is active");
        assertThat(templates.subject(MailKind.PAYMENT_FAILED, m))
                .isEqualTo("Action needed: your payment of 14.99 USD failed");
        assertThat(templates.subject(MailKind.SUBSCRIPTION_CANCELED, m))
                .isEqualTo("Your Premium subscription ends on 22 February 2027");
        m.put("atPeriodEnd", false);
        assertThat(templates.subject(MailKind.SUBSCRIPTION_CANCELED, m))
                .isEqualTo("Your Premium subscription is canceled");
        assertThat(templates.subject(MailKind.REFUND_ISSUED, m)).isEqualTo("Your refund of 14.99 USD is on its way");
        for (MailKind kind : MailKind.values()) {
            assertThat(templates.subject(kind, model("Jane"))).doesNotContain("482913", "tok");
        }
    }

    @Test
    void theLoginCodeIsInBothParts() {
        var mail = templates.render(MailKind.LOGIN_CODE, model("Jane"));
        assertThat(mail.text()).contains("482913");
        assertThat(mail.html()).contains("482913");
    }

    @Test
    void userTextIsEscapedInHtmlButNotInPlainText() {
        Map<String, Object> m = model("<b>Eve</b> & co");
        m.put("planName", "Gold <script>");
        var mail = templates.render(MailKind.SUBSCRIPTION_ACTIVATED, m);
        assertThat(mail.html()).contains("Hello &lt;b&gt;Eve&lt;/b&gt; &amp; co,", "Gold &lt;script&gt;");
        assertThat(mail.html()).doesNotContain("<b>Eve</b>", "<script>");
        assertThat(mail.text()).contains("Hello <b>Eve</b> & co,");
    }

    @Test
    void aMissingValueFailsRatherThanSendingABlankLink() {
        Map<String, Object> m = model("Jane");
        m.remove("token");
        assertThatThrownBy(() -> templates.render(MailKind.VERIFY_EMAIL, m)).isInstanceOf(MustacheException.class);
    }

    @Test
    void aFailedPaymentWithoutRetrySaysSo() {
        Map<String, Object> m = model("Jane");
        m.put("nextRetryText", "");
        m.put("failureMessage", "");
        var mail = templates.render(MailKind.PAYMENT_FAILED, m);
        assertThat(mail.text()).contains("We will not try again", "payment of 14.99 USD.");
        assertThat(mail.text()).doesNotContain("try again on");
        assertThat(templates.render(MailKind.PAYMENT_FAILED, model("Jane")).text())
                .contains("We will try again on 25 January 2027", "(Your card was declined.)");
    }

    @Test
    void aUserWithoutANameIsGreetedPlainly() {
        Map<String, Object> m = model("");
        assertThat(templates.render(MailKind.REFUND_ISSUED, m).text()).contains("Hello,");
    }
}
