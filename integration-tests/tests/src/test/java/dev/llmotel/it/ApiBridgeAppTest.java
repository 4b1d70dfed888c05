package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.*;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.jvm.JvmRun;
import dev.llmotel.it.otlp.ReceivedSpan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An app with only the OpenTelemetry API 1.32 (no SDK): the agent must export the app's own span and make the LLM
 * span its child.
 */
class ApiBridgeAppTest extends AppContractTest {
  @Override
  String app() { return "api-bridge"; }

  /** The app is compiled for Java 8: every test here also runs it on a JDK 8 where one is installed. */
  static List<Jdk> jdks() { return Java8Apps.jdks(); }

  @Test
  void java8Run() throws Exception {
    Java8Apps.assumeJava8Run(app());
  }

  @Override
  Map<String, Long> expectedSpans() { return Map.of("app.request", 1L, "chat gpt-4o-mini", 1L); }

  @Override
  boolean llmSpansAreRoots() { return false; }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void appSpanIsExported(Jdk jdk) {
    AppRun run = run(jdk);
    ReceivedSpan app = run.single("app.request", named("app.request"));
    assertAll(app.toString(),
        () -> assertEquals("demo-app", app.scopeName()),
        () -> assertEquals("", app.parentSpanId(), "app.request is the root"),
        () -> assertEquals(AppLaunch.serviceName(app()), app.serviceName()),
        () -> assertTrue(run.withAgent().stderr().contains("app span trace id: " + app.traceId() + "\n"),
            "the exported span is the one the app saw\n" + run.withAgent().stderr()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void llmSpanIsChildOfTheAppSpan(Jdk jdk) {
    AppRun run = run(jdk);
    ReceivedSpan app = run.single("app.request", named("app.request"));
    ReceivedSpan chat = run.single("chat gpt-4o-mini", named("chat gpt-4o-mini"));
    assertAll(run.dump(),
        () -> assertEquals(app.traceId(), chat.traceId(), "same trace"),
        () -> assertEquals(app.spanId(), chat.parentSpanId(), "parent span id"),
        () -> assertEquals("conv-42", chat.attr("gen_ai.conversation.id"), "conversation from the app's baggage"),
        () -> assertEquals("user-7", chat.attr("user.id"), "user from the app's baggage"),
        () -> assertEquals(java.util.List.of("beta", "checkout"), chat.attr("llmotel.tags"), "tags from the baggage"),
        () -> assertFalse(app.has("gen_ai.conversation.id"), "the app's own span is the app's"));
    assertSuccessfulChat(chat);
    assertFullUsage(chat);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void appSpanContextIsValidOnlyWithTheAgent(Jdk jdk) {
    AppRun run = run(jdk);
    JvmRun plain = run.plain();
    JvmRun withAgent = run.withAgent();
    assertAll(
        () -> assertTrue(plain.stderr().contains("app span context valid: false"), plain.describe()),
        () -> assertTrue(withAgent.stderr().contains("app span context valid: true"), withAgent.describe()));
  }
}
