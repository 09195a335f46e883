package dev.billing.auth.user.domain;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules for what a user types in: email normalisation, display name, password policy.
 *
 * <p>Password policy: 10 to 128 characters; not containing the email's local part (when it has
 * 3 or more characters), case-insensitively; not one of a bundled list of common passwords; not a
 * single repeated character. Length beats composition rules (NIST SP 800-63B).
 */
public final class Credentials {

    public static final int PASSWORD_MIN = 10;
    public static final int PASSWORD_MAX = 128;
    public static final int NAME_MAX = 100;
    public static final int EMAIL_MAX = 254;

    private static final Pattern EMAIL = Pattern.compile("^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$");

    /** Common passwords of 10+ characters (shorter ones already fail the length rule). */
    private static final Set<String> COMMON = Set.of(
            "1234567890",
            "12345678910",
            "123456789a",
            "0123456789",
            "0987654321",
            "1q2w3e4r5t",
            "1qaz2wsx3edc",
            "qwertyuiop",
            "asdfghjkl;",
            "password123",
            "password1234",
            "password12345",
            "passwordpassword",
            "iloveyou123",
            "qwerty12345",
            "qwerty123456",
            "abcdefghij",
            "abc1234567",
            "letmein123",
            "welcome123",
            "admin12345",
            "administrator",
            "changeme123",
            "football123",
            "baseball123",
            "superman123",
            "trustno1234",
            "monkey12345",
            "dragon12345",
            "sunshine123",
            "princess123",
            "qazwsxedcrfv",
            "zaq12wsxcde3",
            "1111111111",
            "password!1",
            "p@ssw0rd123",
            "p@ssword123",
            "passw0rd123");

    private Credentials() {}

    /** Trimmed and lower-cased: the form stored and compared. */
    public static String normaliseEmail(String email) {
        return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
    }

    public static Optional<String> emailProblem(String normalised) {
        if (normalised.isEmpty()) {
            return Optional.of("must not be blank");
        }
        if (normalised.length() > EMAIL_MAX || !EMAIL.matcher(normalised).matches()) {
            return Optional.of("must be a valid email address");
        }
        return Optional.empty();
    }

    public static String normaliseName(String name) {
        return name == null ? "" : name.strip();
    }

    public static Optional<String> nameProblem(String normalised) {
        if (normalised.isEmpty()) {
            return Optional.of("must not be blank");
        }
        if (normalised.length() > NAME_MAX) {
            return Optional.of("must be at most " + NAME_MAX + " characters");
        }
        return Optional.empty();
    }

    /** What is wrong with a password for the account with this (normalised) email, if anything. */
    public static Optional<String> passwordProblem(String password, String email) {
        if (password == null || password.isEmpty()) {
            return Optional.of("must not be blank");
        }
        int length = password.codePointCount(0, password.length());
        if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
            return Optional.of("must be " + PASSWORD_MIN + " to " + PASSWORD_MAX + " characters long");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        int at = email == null ? -1 : email.indexOf('@');
        if (at >= 3 && lower.contains(email.substring(0, at))) {
            return Optional.of("must not contain your email address");
        }
        if (COMMON.contains(lower) || lower.chars().distinct().count() == 1) {
            return Optional.of("is too common; choose a less guessable password");
        }
        return Optional.empty();
    }

    /** Problems of a registration, by field name; empty when it is acceptable. */
    public static Map<String, String> registrationProblems(String email, String name, String password) {
        Map<String, String> errors = new LinkedHashMap<>();
        emailProblem(email).ifPresent(p -> errors.put("email", p));
        nameProblem(name).ifPresent(p -> errors.put("name", p));
        passwordProblem(password, email).ifPresent(p -> errors.put("password", p));
        return errors;
    }
}
