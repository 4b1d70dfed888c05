package dev.llmotel.benchmarks;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.ollama.OllamaDialect;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole Ollama dialect session as a hook drives it: open, request body, response headers, body in 8 KiB reads, end.
 * {@code stream}: about 4 MiB of {@code /api/chat} NDJSON lines (one token each, every line parsed as JSON) ending
 * with the final {@code "done": true} line; {@code nonStream}: a chat response of about 2 KB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OllamaDialectBenchmark {
  private static final HeaderLookup NDJSON =
      name -> name.equalsIgnoreCase("content-type") ? "application/x-ndjson" : null;
  private static final HeaderLookup JSON =
      name -> name.equalsIgnoreCase("content-type") ? "application/json; charset=utf-8" : null;
  private static final String REQUEST = "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"system\",\"content\":"
      + "\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"Tell me about the history of the bicycle.\"}],"
      + "\"options\":{\"temperature\":0.7,\"top_p\":0.9,\"num_predict\":2048}}";
  private static final String[] WORDS = {"The", " bicycle", " was", " invented", " in", " the", " early", " 19th",
      " century", ",", " and", " its", " design", " changed", " a", " lot", "."};

  final OllamaDialect dialect = new OllamaDialect();
  final DialectContext context = DialectContext.defaults();
  final ExchangeRequest request = new ExchangeRequest("POST", "http", "localhost", 11434, "/api/chat", null,
      HeaderLookup.NONE);
  byte[] requestBody;
  byte[] stream;
  byte[] response;

  @Setup(Level.Trial)
  public void setUp() {
    requestBody = REQUEST.getBytes(StandardCharsets.UTF_8);
    stream = lines(4 << 20);
    response = whole(1500);
    System.out.println("\nstream " + stream.length + " bytes, response " + response.length + " bytes");
    CallFacts check = session(stream, NDJSON);
    if (check.usage.outputTokens <= 0 || check.stream.outcome == null || check.stream.chunkCount < 1000) {
      throw new IllegalStateException("stream not read");
    }
    if (session(response, JSON).usage.inputTokens != 31) throw new IllegalStateException("response not read");
  }

  @Benchmark
  public CallFacts stream() {
    return session(stream, NDJSON);
  }

  @Benchmark
  public CallFacts nonStream() {
    return session(response, JSON);
  }

  private CallFacts session(byte[] body, HeaderLookup headers) {
    return DialectSessions.drive(dialect, context, request, requestBody, headers, body);
  }

  /** Lines of one word each, as Ollama streams them, up to about {@code bytes}, then the final line. */
  static byte[] lines(int bytes) {
    StringBuilder sb = new StringBuilder(bytes + 512);
    int n = 0;
    while (sb.length() < bytes) {
      sb.append("{\"model\":\"llama3.2\",\"created_at\":\"2025-10-21T09:13:02.").append(100000 + n % 900000)
          .append("Z\",\"message\":{\"role\":\"assistant\",\"content\":\"").append(WORDS[n % WORDS.length])
          .append("\"},\"done\":false}\n");
      n++;
    }
    sb.append(finalLine(n));
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A non-streamed chat response whose message has about {@code contentChars} characters. */
  static byte[] whole(int contentChars) {
    StringBuilder content = new StringBuilder();
    for (int i = 0; content.length() < contentChars; i++) content.append(WORDS[i % WORDS.length]);
    return ("{\"model\":\"llama3.2\",\"created_at\":\"2025-10-21T09:12:44.118529Z\",\"message\":{\"role\":\"assistant\","
        + "\"content\":\"" + content + "\"},\"done_reason\":\"stop\",\"done\":true,\"total_duration\":912873125,"
        + "\"load_duration\":28475042,\"prompt_eval_count\":31,\"prompt_eval_duration\":120113000,\"eval_count\":"
        + (contentChars / 4) + ",\"eval_duration\":762208583}").getBytes(StandardCharsets.UTF_8);
  }

  private static String finalLine(int evalCount) {
    return "{\"model\":\"llama3.2\",\"created_at\":\"2025-10-21T09:13:09.000000Z\",\"message\":{\"role\":\"assistant\","
        + "\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,\"total_duration\":7301239500,"
        + "\"load_duration\":21839292,\"prompt_eval_count\":31,\"prompt_eval_duration\":95000000,\"eval_count\":"
        + evalCount + ",\"eval_duration\":7182000000}\n";
  }
}
