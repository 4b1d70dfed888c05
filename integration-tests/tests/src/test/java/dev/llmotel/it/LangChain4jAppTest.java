package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.*;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.ReceivedSpan;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** dev.langchain4j:langchain4j-open-ai 1.19.0 (java.net.http underneath): chat, streaming chat, embeddings, a 500. */
class LangChain4jAppTest extends AppContractTest {
  @Override
  String app() { return "langchain4j"; }

  @Override
  Map<String, Long> expectedSpans() {
    return Map.of("chat gpt-4o-mini", 2L, "embeddings text-embedding-3-small", 1L, "chat sim-500", 1L);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void chatModel(Jdk jdk) {
    checkPlainChat(jdk);
  }

  /** LangChain4j asks for {@code stream_options.include_usage}, so the stream carries the usage. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamingChatModel(Jdk jdk) {
    checkStreamWithUsage(jdk);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void embeddingModel(Jdk jdk) {
    checkEmbeddings(jdk);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void serverError(Jdk jdk) {
    assertHttpError(run(jdk).single("chat sim-500", named("chat sim-500")), 500, "server_error");
  }
}
