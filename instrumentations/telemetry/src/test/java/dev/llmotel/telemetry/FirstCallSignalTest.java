package dev.llmotel.telemetry;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link TracedExchanges.Builder#firstCall}: told once, when the first LLM call begins, never for other requests. */
class FirstCallSignalTest {
  private static ExchangeRequest request(String path) {
    return new ExchangeRequest("POST", "https", "api.example.com", -1, path, null, HeaderLookup.NONE);
  }

  @Test
  void toldOnceWhenTheFirstLlmCallBegins() {
    AtomicInteger told = new AtomicInteger();
    TracedExchanges factory = TracedExchanges.builder(Collections.singletonList(new ScriptedDialect()),
            Pending.of(new InferenceTelemetry(InferenceSpans.builder(SdkTracerProvider.builder().build().get("t"))
                .build(), null, null)))
        .firstCall(() -> {
          told.incrementAndGet();
          throw new IllegalStateException("the signal's trouble is not the call's");
        })
        .build();
    assertNull(factory.begin(request("/health")));
    assertEquals(0, told.get(), "a request no dialect wants is no LLM call");
    Exchange first = factory.begin(request("/llm/chat"));
    assertNotNull(first, "the call is traced even though the signal threw");
    assertEquals(1, told.get());
    assertNotNull(factory.begin(request("/llm/chat")));
    assertEquals(1, told.get(), "told once only");
  }
}
