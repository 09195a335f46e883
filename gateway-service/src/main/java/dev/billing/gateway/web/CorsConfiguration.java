package dev.billing.gateway.web;

import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/** CORS is answered by the security chain, so a preflight never needs a token. */
@Configuration(proxyBeanMethods = false)
class CorsConfiguration {

    @Bean
    CorsConfigurationSource corsConfigurationSource(CorsProperties props) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        List<String> origins = props.allowedOrigins().stream()
                .map(String::trim)
                .filter(o -> !o.isEmpty())
                .toList();
        if (origins.isEmpty()) {
            return source; // no configuration: browsers keep other origins out
        }
        var cors = new org.springframework.web.cors.CorsConfiguration();
        cors.setAllowedOriginPatterns(origins);
        cors.setAllowedMethods(props.allowedMethods());
        cors.setAllowedHeaders(props.allowedHeaders());
        cors.setExposedHeaders(props.exposedHeaders());
        cors.setAllowCredentials(props.allowCredentials());
        cors.setMaxAge(props.maxAge());
        source.registerCorsConfiguration("/**", cors);
        return source;
    }
}
