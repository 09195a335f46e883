package dev.billing.platform.web;

import jakarta.validation.ConstraintViolationException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Turns every exception that reaches the web layer into problem details. Client errors say what
 * was wrong; anything unexpected is a 500 with a fixed sentence (the stack trace goes to the log,
 * never into the body: no SQL, no class names).
 */
public class ProblemDetailsExceptionHandler implements WebExceptionHandler, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsExceptionHandler.class);

    private final ProblemWriter writer;

    public ProblemDetailsExceptionHandler(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    public int getOrder() {
        return -2; // before Boot's DefaultErrorWebExceptionHandler (-1)
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        return writer.write(exchange, toProblem(ex));
    }

    ProblemDetail toProblem(Throwable ex) {
        if (hasCause(ex, DataBufferLimitException.class)) {
            return ProblemWriter.problem(
                    HttpStatus.CONTENT_TOO_LARGE, "Request too large", "The request body exceeds the allowed size.");
        }
        if (ex instanceof WebExchangeBindException bind) {
            Map<String, String> errors = new LinkedHashMap<>();
            for (FieldError error : bind.getFieldErrors()) {
                errors.putIfAbsent(error.getField(), error.getDefaultMessage());
            }
            bind.getGlobalErrors().forEach(e -> errors.putIfAbsent(e.getObjectName(), e.getDefaultMessage()));
            return validation(errors);
        }
        if (ex instanceof HandlerMethodValidationException validation) {
            Map<String, String> errors = new LinkedHashMap<>();
            validation.getParameterValidationResults().forEach(result -> result.getResolvableErrors()
                    .forEach(e ->
                            errors.putIfAbsent(result.getMethodParameter().getParameterName(), e.getDefaultMessage())));
            return validation(errors);
        }
        if (ex instanceof ConstraintViolationException violations) {
            Map<String, String> errors = new LinkedHashMap<>();
            violations
                    .getConstraintViolations()
                    .forEach(
                            v -> errors.putIfAbsent(lastNode(v.getPropertyPath().toString()), v.getMessage()));
            return validation(errors);
        }
        if (ex instanceof ServerWebInputException input) {
            if (hasCause(ex, DecodingException.class)) {
                return ProblemWriter.problem(
                        HttpStatus.BAD_REQUEST,
                        "Malformed request body",
                        "The request body is not valid JSON for this resource.");
            }
            String parameter = input.getMethodParameter() != null
                    ? input.getMethodParameter().getParameterName()
                    : null;
            return ProblemWriter.problem(
                    HttpStatus.BAD_REQUEST,
                    "Bad request",
                    parameter != null ? "Invalid value for '" + parameter + "'." : safeReason(input));
        }
        if (ex instanceof MethodNotAllowedException notAllowed) {
            return notAllowed.getBody();
        }
        if (ex instanceof ErrorResponse response && response.getStatusCode().is4xxClientError()) {
            ProblemDetail body = response.getBody();
            if (body.getTitle() == null) {
                body.setTitle(HttpStatus.valueOf(body.getStatus()).getReasonPhrase());
            }
            return body;
        }
        if (ex instanceof ErrorResponse response && response.getStatusCode().is5xxServerError()) {
            // 502/503/504 and friends keep their status; their details stay in the log.
            HttpStatus status = HttpStatus.resolve(response.getStatusCode().value());
            if (status != null && status != HttpStatus.INTERNAL_SERVER_ERROR) {
                log.warn("{} answered as {}", ex.toString(), status);
                return ProblemWriter.problem(status, status.getReasonPhrase(), "Try again shortly.");
            }
        }
        ResponseStatus annotated = AnnotatedElementUtils.findMergedAnnotation(ex.getClass(), ResponseStatus.class);
        if (annotated != null && annotated.code() != HttpStatus.INTERNAL_SERVER_ERROR) {
            HttpStatus status = annotated.code();
            String reason = annotated.reason().isEmpty() ? status.getReasonPhrase() : annotated.reason();
            return ProblemWriter.problem(
                    status, status.getReasonPhrase(), status.is4xxClientError() ? reason : "Try again shortly.");
        }
        log.error("unexpected error", ex);
        return ProblemWriter.problem(
                HttpStatus.INTERNAL_SERVER_ERROR, "Internal Server Error", "An unexpected error occurred.");
    }

    private static ProblemDetail validation(Map<String, String> errors) {
        ProblemDetail problem =
                ProblemWriter.problem(HttpStatus.BAD_REQUEST, "Validation failed", "The request has invalid fields.");
        problem.setProperty("errors", errors);
        return problem;
    }

    private static String safeReason(ServerWebInputException input) {
        String reason = input.getReason();
        return reason == null || reason.contains("Exception") ? "The request could not be read." : reason;
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
