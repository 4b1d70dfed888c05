package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.fail;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.jvm.JvmRun;
import dev.llmotel.it.otlp.OtlpReceiver;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.RecordedRequest;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What one app did on one JDK: its run without the agent and, if the agent jar exists, its run with it, with the
 * requests the simulator saw and the spans the receiver decoded. Accessors of agent-run data fail the calling test
 * when the agent jar is missing.
 */
record AppRun(String app, Jdk jdk, JvmRun plain, List<RecordedRequest> plainRequests, JvmRun agentRun,
    List<RecordedRequest> agentRequests, int simulatorPort, List<ReceivedSpan> spans, List<String> receiverProblems,
    String agentMissing, OtlpReceiver receiver) {

  static AppRun withoutAgent(String app, Jdk jdk, JvmRun plain, List<RecordedRequest> plainRequests,
      String reason) {
    return new AppRun(app, jdk, plain, plainRequests, null, List.of(), 0, List.of(), List.of(), reason, null);
  }

  /** The agent run's receiver, closed but still holding what it decoded (metrics too); fails without the agent. */
  OtlpReceiver metrics() {
    withAgent();
    return receiver;
  }

  /** The agent-attached run; fails the test when the agent jar is missing. */
  JvmRun withAgent() {
    if (agentRun == null) fail(agentMissing);
    return agentRun;
  }

  List<ReceivedSpan> exported() {
    withAgent();
    return spans;
  }

  List<RecordedRequest> requestsWithAgent() {
    withAgent();
    return agentRequests;
  }

  /** Spans whose name starts with {@code chat}, {@code embeddings} or {@code text_completion}. */
  List<ReceivedSpan> llmSpans() {
    return exported().stream().filter(AppRun::isLlmSpan).toList();
  }

  static boolean isLlmSpan(ReceivedSpan s) {
    return s.name().startsWith("chat") || s.name().startsWith("embeddings") || s.name().startsWith("text_completion")
        || s.name().startsWith("generate_content");
  }

  /** The one exported span matching; fails with a dump of all spans when there are none or several. */
  ReceivedSpan single(String description, Predicate<ReceivedSpan> filter) {
    List<ReceivedSpan> found = exported().stream().filter(filter).toList();
    if (found.size() != 1) {
      fail("expected exactly one span " + description + ", found " + found.size() + "\n" + dump());
    }
    return found.get(0);
  }

  /** All exported spans, one per line, plus the agent run's stderr: context for failure messages. */
  String dump() {
    return "exported spans (" + spans.size() + "):\n" + spans.stream().map(s -> "  " + s).collect(Collectors.joining(
        "\n")) + "\nagent run stderr:\n" + (agentRun == null ? "-" : agentRun.stderr());
  }
}
