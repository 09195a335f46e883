package dev.billing.auth.user.web;

/** Request bodies of /api/v1/auth (fields are checked by the domain rules, so each may be null here). */
final class AuthRequests {

    private AuthRequests() {}

    record Register(String email, String name, String password) {
        @Override
        public String toString() {
            return "Register[email=" + email + "]";
        }
    }

    record LoginRequest(String email, String password) {
        @Override
        public String toString() {
            return "Login[email=" + email + "]";
        }
    }

    record RefreshRequest(String refreshToken) {
        @Override
        public String toString() {
            return "Refresh[]";
        }
    }

    record TokenRequest(String token) {
        @Override
        public String toString() {
            return "Token[]";
        }
    }

    record EmailRequest(String email) {}

    record ResetConfirm(String token, String newPassword) {
        @Override
        public String toString() {
            return "ResetConfirm[]";
        }
    }

    record PasswordChange(String currentPassword, String newPassword) {
        @Override
        public String toString() {
            return "PasswordChange[]";
        }
    }

    record CodeVerify(String email, String code) {
        @Override
        public String toString() {
            return "CodeVerify[email=" + email + "]";
        }
    }

    record PasswordConfirm(String password) {
        @Override
        public String toString() {
            return "PasswordConfirm[]";
        }
    }

    record Deactivate(String reason) {}

    record Roles(java.util.List<String> roles) {}
}
