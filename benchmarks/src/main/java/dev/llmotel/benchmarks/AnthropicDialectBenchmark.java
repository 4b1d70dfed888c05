package dev.llmotel.benchmarks;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.anthropic.AnthropicDialect;
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
 * A whole Anthropic Messages session as a hook drives it (see {@link DialectSessions}). {@code stream}: about 4 MiB of
 * named SSE events (message_start, one text content block of {@code content_block_delta} events with a ping every 50,
 * message_delta, message_stop); {@code nonStream}: a message of about 2 KB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AnthropicDialectBenchmark {
  private static final String REQUEST = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":2048,\"temperature\":0.7,"
      + "\"system\":\"You are a helpful assistant.\",\"messages\":[{\"role\":\"user\",\"content\":"
      + "\"Tell me about the history of the bicycle.\"}],\"stream\":true}";
  private static final String[] WORDS = {"The", " bicycle", " was", " invented", " in", " the", " early", " 19th",
      " century", ",", " and", " its", " design", " changed", " a", " lot", "."};

  final AnthropicDialect dialect = new AnthropicDialect();
  final DialectContext context = DialectContext.defaults();
  final ExchangeRequest request = new ExchangeRequest("POST", "https", "api.anthropic.com", 443, "/v1/messages", null,
      HeaderLookup.NONE);
  byte[] requestBody;
  byte[] stream;
  byte[] message;

  @Setup(Level.Trial)
  public void setUp() {
    requestBody = REQUEST.getBytes(StandardCharsets.UTF_8);
    stream = events(4 << 20);
    message = message(1500);
    System.out.println("\nstream " + stream.length + " bytes, message " + message.length + " bytes");
    CallFacts check = session(stream, DialectSessions.SSE);
    if (check.usage.outputTokens <= 0 || check.stream.outcome == null || check.stream.chunkCount < 1000) {
      throw new IllegalStateException("stream not read");
    }
    if (session(message, DialectSessions.JSON).usage.inputTokens != 31) {
      throw new IllegalStateException("message not read");
    }
  }

  @Benchmark
  public CallFacts stream() {
    return session(stream, DialectSessions.SSE);
  }

  @Benchmark
  public CallFacts nonStream() {
    return session(message, DialectSessions.JSON);
  }

  private CallFacts session(byte[] body, HeaderLookup headers) {
    return DialectSessions.drive(dialect, context, request, requestBody, headers, body);
  }

  private static void event(StringBuilder sb, String type, String json) {
    sb.append("event: ").append(type).append("\ndata: ").append(json).append("\n\n");
  }

  /** One text block streamed a word per delta, up to about {@code bytes}. */
  static byte[] events(int bytes) {
    StringBuilder sb = new StringBuilder(bytes + 1024);
    event(sb, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,"
        + "\"usage\":{\"input_tokens\":31,\"output_tokens\":1}}}");
    event(sb, "content_block_start",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    int n = 0;
    while (sb.length() < bytes) {
      if (n % 50 == 49) event(sb, "ping", "{\"type\":\"ping\"}");
      event(sb, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
          + "\"text_delta\",\"text\":\"" + WORDS[n % WORDS.length] + "\"}}");
      n++;
    }
    event(sb, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    event(sb, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + n + "}}");
    event(sb, "message_stop", "{\"type\":\"message_stop\"}");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A message whose text is about {@code textChars} characters. */
  static byte[] message(int textChars) {
    StringBuilder text = new StringBuilder();
    for (int n = 0; text.length() < textChars; n++) text.append(WORDS[n % WORDS.length]);
    return ("{\"id\":\"msg_bench\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"}],\"stop_reason\":\"end_turn\","
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":31,\"cache_creation_input_tokens\":0,"
        + "\"cache_read_input_tokens\":0,\"output_tokens\":412}}").getBytes(StandardCharsets.UTF_8);
  }
}
