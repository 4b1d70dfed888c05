package dev.llmotel.dialect.openairesponses;

import dev.llmotel.testkit.dialect.DialectRecordings;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The recordings under {@code src/test/resources/recordings} (text, cached and reasoning usage, function call,
 * incomplete on Azure, streams of text, a function call, {@code response.failed}, an {@code error} event, truncated,
 * closed early, a 429 to a streaming request, content capture plain and streamed), replayed by the dialect kit at
 * every split of their bodies, and cut and corrupted.
 */
class OpenAiResponsesRecordingsTest {
  private static final DialectRecordings RECORDINGS = DialectRecordings.load();

  @TestFactory
  Stream<DynamicNode> expectedFactsAtEverySplit() {
    return RECORDINGS.replay(new OpenAiResponsesDialect());
  }

  @TestFactory
  Stream<DynamicNode> cutAndCorruptedBodies() {
    return RECORDINGS.robustness(new OpenAiResponsesDialect());
  }
}
