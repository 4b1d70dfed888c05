package dev.llmotel.it.app.springai;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Mode {@code observed}: Micrometer tracing over the OpenTelemetry bridge records Spring AI's observations as spans of
 * {@link GlobalOpenTelemetry}'s OpenTelemetry (instead of an SDK of Boot's own): a no-op without an agent, the
 * agent's bridge with it. Only the {@code app-observed.jar} class path has these classes.
 */
@Configuration(proxyBeanMethods = false)
class ObservedTracing {
  @Bean
  OpenTelemetry openTelemetry() {
    return GlobalOpenTelemetry.get();
  }
}
