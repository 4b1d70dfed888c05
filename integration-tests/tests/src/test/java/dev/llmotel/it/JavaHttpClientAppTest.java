package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.*;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.ReceivedSpan;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Raw java.net.http: send(ofString), sendAsync(ofInputStream), send(ofLines), embeddings, a 50 MB body. */
class JavaHttpClientAppTest extends AppContractTest {
  @Override
  String app() { return "java-http-client"; }

  @Override
  Map<String, Long> expectedSpans() {
    return Map.of("chat gpt-4o-mini", 3L, "embeddings text-embedding-3-small", 1L, "chat sim-huge", 1L);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void sendOfString(Jdk jdk) {
    checkPlainChat(jdk);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void sendAsyncOfInputStreamWithUsage(Jdk jdk) {
    checkStreamWithUsage(jdk);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void sendOfLinesWithoutUsage(Jdk jdk) {
    checkStreamWithoutUsage(jdk);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void embeddingsAsFloats(Jdk jdk) {
    checkEmbeddings(jdk);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void hugeResponse(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("chat sim-huge", named("chat sim-huge"));
    assertAll(s.toString(),
        () -> assertEquals(200L, s.attr(HTTP_STATUS)),
        () -> assertEquals("chatcmpl-sim-huge", s.attr("gen_ai.response.id")),
        () -> assertEquals(11L, s.attr(INPUT_TOKENS)));
  }
}
