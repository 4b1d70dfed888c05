package dev.llmotel.benchmarks;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.gemini.GeminiDialect;
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
 * A whole Gemini dialect session as a hook drives it: open, request body, response headers, body in 8 KiB reads, end.
 * {@code stream}: about 4 MiB of {@code streamGenerateContent?alt=sse} events (one word each, every event a whole
 * GenerateContentResponse parsed as JSON), the last with {@code finishReason} and the usage; {@code nonStream}: a
 * generateContent response of about 2 KB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GeminiDialectBenchmark {
  private static final HeaderLookup SSE = name -> name.equalsIgnoreCase("content-type") ? "text/event-stream" : null;
  private static final HeaderLookup JSON =
      name -> name.equalsIgnoreCase("content-type") ? "application/json; charset=UTF-8" : null;
  private static final String HOST = "generativelanguage.googleapis.com";
  private static final String REQUEST = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Tell me about the "
      + "history of the bicycle.\"}]}],\"systemInstruction\":{\"parts\":[{\"text\":\"You are a helpful assistant.\"}]},"
      + "\"generationConfig\":{\"temperature\":0.7,\"topP\":0.9,\"maxOutputTokens\":2048}}";
  private static final String[] WORDS = {"The", " bicycle", " was", " invented", " in", " the", " early", " 19th",
      " century", ",", " and", " its", " design", " changed", " a", " lot", "."};

  final GeminiDialect dialect = new GeminiDialect();
  final DialectContext context = DialectContext.defaults();
  final ExchangeRequest streamRequest = new ExchangeRequest("POST", "https", HOST, 443,
      "/v1beta/models/gemini-2.5-flash:streamGenerateContent", "alt=sse", HeaderLookup.NONE);
  final ExchangeRequest request = new ExchangeRequest("POST", "https", HOST, 443,
      "/v1beta/models/gemini-2.5-flash:generateContent", null, HeaderLookup.NONE);
  byte[] requestBody;
  byte[] stream;
  byte[] response;

  @Setup(Level.Trial)
  public void setUp() {
    requestBody = REQUEST.getBytes(StandardCharsets.UTF_8);
    stream = events(4 << 20);
    response = whole(1500);
    System.out.println("\nstream " + stream.length + " bytes, response " + response.length + " bytes");
    CallFacts check = session(streamRequest, stream, SSE);
    if (check.usage.outputTokens <= 0 || check.stream.outcome == null || check.stream.chunkCount < 1000) {
      throw new IllegalStateException("stream not read");
    }
    if (session(request, response, JSON).usage.inputTokens != 31) throw new IllegalStateException("response not read");
  }

  @Benchmark
  public CallFacts stream() {
    return session(streamRequest, stream, SSE);
  }

  @Benchmark
  public CallFacts nonStream() {
    return session(request, response, JSON);
  }

  private CallFacts session(ExchangeRequest exchange, byte[] body, HeaderLookup headers) {
    return DialectSessions.drive(dialect, context, exchange, requestBody, headers, body);
  }

  /** Events of one word each, as Gemini streams them, up to about {@code bytes}, then the finishing event. */
  static byte[] events(int bytes) {
    StringBuilder sb = new StringBuilder(bytes + 512);
    int n = 0;
    while (sb.length() < bytes) {
      sb.append("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"").append(WORDS[n % WORDS.length])
          .append("\"}],\"role\":\"model\"},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":31,"
              + "\"totalTokenCount\":31},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"bench-1\"}\r\n\r\n");
      n++;
    }
    sb.append("data: ").append(response("", n)).append("\r\n\r\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A generateContent response whose text has about {@code contentChars} characters. */
  static byte[] whole(int contentChars) {
    StringBuilder content = new StringBuilder();
    for (int i = 0; content.length() < contentChars; i++) content.append(WORDS[i % WORDS.length]);
    return response(content.toString(), contentChars / 4).getBytes(StandardCharsets.UTF_8);
  }

  private static String response(String text, int outputTokens) {
    return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + text + "\"}],\"role\":\"model\"},"
        + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":31,\"candidatesTokenCount\":"
        + outputTokens + ",\"totalTokenCount\":" + (31 + outputTokens) + ",\"promptTokensDetails\":[{\"modality\":"
        + "\"TEXT\",\"tokenCount\":31}]},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"bench-1\"}";
  }
}
