package dev.llmotel.benchmarks;

import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.openai.OpenAiDialect;
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
 * A whole OpenAI dialect session as a hook drives it: open, request body, response headers, body in 8 KiB reads, end.
 * {@code stream}: the same 4 MiB chunk stream as {@link SseDecoderBenchmark} (every chunk parsed as JSON);
 * {@code nonStream}: a chat completion of about 2 KB; {@code nonStreamLarge}: one of about 1 MB of content.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OpenAiDialectBenchmark {
  private static final HeaderLookup SSE = name -> name.equalsIgnoreCase("content-type") ? "text/event-stream" : null;
  private static final HeaderLookup JSON = name -> name.equalsIgnoreCase("content-type") ? "application/json" : null;

  final OpenAiDialect dialect = new OpenAiDialect();
  final DialectContext context = DialectContext.defaults();
  final ExchangeRequest request = new ExchangeRequest("POST", "https", "api.openai.com", 443, "/v1/chat/completions",
      null, HeaderLookup.NONE);
  byte[] requestBody;
  byte[] stream;
  byte[] completion;
  byte[] largeCompletion;

  @Setup(Level.Trial)
  public void setUp() {
    requestBody = OpenAiPayloads.REQUEST.getBytes(StandardCharsets.UTF_8);
    stream = OpenAiPayloads.chunkStream(4 << 20);
    completion = OpenAiPayloads.chatCompletion(1500);
    largeCompletion = OpenAiPayloads.chatCompletion(1 << 20);
    System.out.println("\nstream " + stream.length + " bytes, completion " + completion.length
        + " bytes, large completion " + largeCompletion.length + " bytes");
    CallFacts check = session(stream, SSE);
    if (check.usage.outputTokens <= 0 || check.stream.outcome == null) {
      throw new IllegalStateException("stream not read");
    }
    if (session(largeCompletion, JSON).usage.inputTokens != 19) throw new IllegalStateException("completion not read");
  }

  @Benchmark
  public CallFacts stream() {
    return session(stream, SSE);
  }

  @Benchmark
  public CallFacts nonStream() {
    return session(completion, JSON);
  }

  @Benchmark
  public CallFacts nonStreamLarge() {
    return session(largeCompletion, JSON);
  }

  private CallFacts session(byte[] body, HeaderLookup headers) {
    return DialectSessions.drive(dialect, context, request, requestBody, headers, body);
  }
}
