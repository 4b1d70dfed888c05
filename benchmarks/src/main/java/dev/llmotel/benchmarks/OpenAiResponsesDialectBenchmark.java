package dev.llmotel.benchmarks;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.openairesponses.OpenAiResponsesDialect;
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
 * A whole OpenAI Responses dialect session as a hook drives it: open, request body, response headers, body in 8 KiB
 * reads, end. {@code stream}: about 4 MiB of named SSE events (one {@code response.output_text.delta} per one to
 * three words, counted without being parsed, then {@code response.completed} with the whole text, parsed);
 * {@code nonStream}: a response object of about 2 KB; {@code nonStreamLarge}: one of about 1 MB of text.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OpenAiResponsesDialectBenchmark {
  private static final HeaderLookup SSE = name -> name.equalsIgnoreCase("content-type") ? "text/event-stream" : null;
  private static final HeaderLookup JSON = name -> name.equalsIgnoreCase("content-type") ? "application/json" : null;

  final OpenAiResponsesDialect dialect = new OpenAiResponsesDialect();
  final DialectContext context = DialectContext.defaults();
  final ExchangeRequest request = new ExchangeRequest("POST", "https", "api.openai.com", 443, "/v1/responses", null,
      HeaderLookup.NONE);
  byte[] requestBody;
  byte[] stream;
  byte[] response;
  byte[] largeResponse;

  @Setup(Level.Trial)
  public void setUp() {
    requestBody = OpenAiResponsesPayloads.REQUEST.getBytes(StandardCharsets.UTF_8);
    stream = OpenAiResponsesPayloads.eventStream(4 << 20);
    response = OpenAiResponsesPayloads.response(1000);
    largeResponse = OpenAiResponsesPayloads.response(1 << 20);
    System.out.println("\nstream " + stream.length + " bytes, response " + response.length
        + " bytes, large response " + largeResponse.length + " bytes");
    CallFacts check = session(stream, SSE);
    if (check.usage.outputTokens != check.stream.chunkCount || check.stream.outcome == null) {
      throw new IllegalStateException("stream not read");
    }
    if (session(largeResponse, JSON).usage.inputTokens != 27) throw new IllegalStateException("response not read");
  }

  @Benchmark
  public CallFacts stream() {
    return session(stream, SSE);
  }

  @Benchmark
  public CallFacts nonStream() {
    return session(response, JSON);
  }

  @Benchmark
  public CallFacts nonStreamLarge() {
    return session(largeResponse, JSON);
  }

  private CallFacts session(byte[] body, HeaderLookup headers) {
    return DialectSessions.drive(dialect, context, request, requestBody, headers, body);
  }
}
