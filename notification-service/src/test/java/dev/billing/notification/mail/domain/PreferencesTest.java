package dev.billing.notification.mail.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PreferencesTest {

    @Test
    void essentialCategoriesGoOutWhateverTheUserChose() {
        Preferences none = new Preferences(false, false);
        assertThat(none.allows(Category.SECURITY)).isTrue();
        assertThat(none.allows(Category.BILLING)).isTrue();
        assertThat(none.allows(Category.MARKETING)).isFalse();
        assertThat(none.allows(Category.SUBSCRIPTION_UPDATES)).isFalse();
    }

    @Test
    void eachOptOutTurnsOffOnlyItsCategory() {
        assertThat(new Preferences(false, true).allows(Category.SUBSCRIPTION_UPDATES))
                .isTrue();
        assertThat(new Preferences(true, false).allows(Category.MARKETING)).isTrue();
        assertThat(Arrays.stream(Category.values()).allMatch(Preferences.DEFAULT::allows))
                .isTrue();
    }

    @Test
    void securityAndReceiptMailIsEssential() {
        assertThat(MailKind.VERIFY_EMAIL.category().essential()).isTrue();
        assertThat(MailKind.PASSWORD_RESET.category().essential()).isTrue();
        assertThat(MailKind.LOGIN_CODE.category().essential()).isTrue();
        assertThat(MailKind.SUBSCRIPTION_ACTIVATED.category().essential()).isTrue();
        assertThat(MailKind.PAYMENT_FAILED.category().essential()).isTrue();
        assertThat(MailKind.REFUND_ISSUED.category().essential()).isTrue();
        assertThat(MailKind.WELCOME.category().essential()).isFalse();
        assertThat(MailKind.SUBSCRIPTION_RENEWED.category().essential()).isFalse();
    }

    @Test
    void everyKindAnswersToOneEventType() {
        for (MailKind kind : MailKind.values()) {
            assertThat(MailKind.ofEventType(kind.eventType())).contains(kind);
        }
        assertThat(MailKind.ofEventType("plan-published")).isEmpty();
    }
}
