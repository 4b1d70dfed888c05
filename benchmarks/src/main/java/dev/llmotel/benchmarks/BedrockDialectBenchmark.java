package dev.llmotel.benchmarks;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.bedrock.BedrockDialect;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.wire.AwsEventStreamDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
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
 * A whole Bedrock dialect session as a hook drives it (open, request body, headers, body in 8 KiB reads, end):
 * {@code converse}: a Converse response of about 2 KB; {@code converseStream}: about 4 MiB of ConverseStream
 * {@code contentBlockDelta} frames (AWS event-stream framing, both CRCs checked; deltas counted, not parsed);
 * {@code invokeStreamAnthropic}: about 4 MiB of InvokeModelWithResponseStream chunks (each a base64-wrapped Anthropic
 * event, decoded and parsed); {@code eventStreamDecoder}: the framing alone over the ConverseStream bytes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BedrockDialectBenchmark {
  static final int READ_SIZE = 8 * 1024;
  private static final HeaderLookup EVENTS =
      name -> name.equalsIgnoreCase("content-type") ? "application/vnd.amazon.eventstream" : null;
  private static final HeaderLookup JSON = name -> name.equalsIgnoreCase("content-type") ? "application/json" : null;
  private static final String HOST = "bedrock-runtime.us-east-1.amazonaws.com";
  private static final String MODEL = "/model/anthropic.claude-3-5-sonnet-20241022-v2%3A0/";

  final BedrockDialect dialect = new BedrockDialect();
  final DialectContext context = DialectContext.defaults();
  byte[] converseRequest;
  byte[] anthropicRequest;
  byte[] converse;
  byte[] converseStream;
  byte[] invokeStream;

  @Setup(Level.Trial)
  public void setUp() {
    converseRequest = ("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Write a long story.\"}]}],"
        + "\"system\":[{\"text\":\"You are a storyteller.\"}],"
        + "\"inferenceConfig\":{\"maxTokens\":4096,\"temperature\":0.7,\"topP\":0.9}}").getBytes(StandardCharsets.UTF_8);
    anthropicRequest = ("{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":4096,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Write a long story.\"}]}").getBytes(StandardCharsets.UTF_8);
    StringBuilder text = new StringBuilder();
    while (text.length() < 1500) text.append("Once upon a time, in a land far away, there lived a curious fox. ");
    converse = ("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"" + text + "\"}]}},"
        + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":25,\"outputTokens\":380,\"totalTokens\":405},"
        + "\"metrics\":{\"latencyMs\":2210}}").getBytes(StandardCharsets.UTF_8);

    ByteArrayOutputStream s = new ByteArrayOutputStream();
    write(s, event("messageStart", "{\"p\":\"abcdefghij\",\"role\":\"assistant\"}"));
    int i = 0;
    while (s.size() < (4 << 20)) {
      write(s, event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\" token" + (i++)
          + " of the story\"},\"p\":\"abcdefghijklmnop\"}"));
    }
    write(s, event("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abc\"}"));
    write(s, event("messageStop", "{\"p\":\"abcdef\",\"stopReason\":\"end_turn\"}"));
    write(s, event("metadata", "{\"metrics\":{\"latencyMs\":30120},\"p\":\"ab\",\"usage\":{\"inputTokens\":25,"
        + "\"outputTokens\":" + i + ",\"totalTokens\":" + (25 + i) + "}}"));
    converseStream = s.toByteArray();

    ByteArrayOutputStream a = new ByteArrayOutputStream();
    write(a, chunk("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_01\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"model\":\"claude-3-5-sonnet-20241022\",\"content\":[],\"usage\":"
        + "{\"input_tokens\":25,\"output_tokens\":1}}}"));
    int j = 0;
    while (a.size() < (4 << 20)) {
      write(a, chunk("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
          + "\"text\":\" token" + (j++) + " of the story\"}}"));
    }
    write(a, chunk("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":"
        + "{\"output_tokens\":" + j + "}}"));
    write(a, chunk("{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":25,"
        + "\"outputTokenCount\":" + j + ",\"invocationLatency\":30000,\"firstByteLatency\":300}}"));
    invokeStream = a.toByteArray();

    System.out.println("\nconverse " + converse.length + " bytes, converse stream " + converseStream.length
        + " bytes, invoke stream " + invokeStream.length + " bytes");
    if (converseStream().usage.outputTokens != i || converseStream().stream.chunkCount != i) {
      throw new IllegalStateException("converse stream not read");
    }
    if (invokeStreamAnthropic().usage.outputTokens != j || invokeStreamAnthropic().stream.chunkCount != j) {
      throw new IllegalStateException("invoke stream not read");
    }
    if (converse().usage.outputTokens != 380) throw new IllegalStateException("converse not read");
  }

  @Benchmark
  public CallFacts converse() {
    return session("converse", converseRequest, converse, JSON);
  }

  @Benchmark
  public CallFacts converseStream() {
    return session("converse-stream", converseRequest, converseStream, EVENTS);
  }

  @Benchmark
  public CallFacts invokeStreamAnthropic() {
    return session("invoke-with-response-stream", anthropicRequest, invokeStream, EVENTS);
  }

  @Benchmark
  public long eventStreamDecoder() {
    final long[] count = new long[1];
    AwsEventStreamDecoder d = new AwsEventStreamDecoder(1 << 20,
        (messageType, eventType, exceptionType, payload, offset, length) -> count[0] += length);
    for (int pos = 0; pos < converseStream.length; pos += READ_SIZE) {
      d.feed(converseStream, pos, Math.min(READ_SIZE, converseStream.length - pos));
    }
    d.end();
    return count[0];
  }

  private CallFacts session(String operation, byte[] requestBody, byte[] body, HeaderLookup headers) {
    ExchangeRequest request = new ExchangeRequest("POST", "https", HOST, 443, MODEL + operation, null,
        HeaderLookup.NONE);
    return DialectSessions.drive(dialect, context, request, requestBody, headers, body);
  }

  private static void write(ByteArrayOutputStream out, byte[] bytes) {
    out.write(bytes, 0, bytes.length);
  }

  private static byte[] chunk(String anthropicEvent) {
    String b64 = Base64.getEncoder().encodeToString(anthropicEvent.getBytes(StandardCharsets.UTF_8));
    return event("chunk", "{\"bytes\":\"" + b64 + "\",\"p\":\"abcdefgh\"}");
  }

  /** One AWS event-stream message with the three string headers Bedrock sends. */
  static byte[] event(String eventType, String json) {
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    header(h, ":event-type", eventType);
    header(h, ":content-type", "application/json");
    header(h, ":message-type", "event");
    byte[] headers = h.toByteArray();
    byte[] payload = json.getBytes(StandardCharsets.UTF_8);
    int total = 16 + headers.length + payload.length;
    ByteBuffer b = ByteBuffer.allocate(total);
    b.putInt(total).putInt(headers.length);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 0, 8);
    b.putInt((int) crc.getValue());
    b.put(headers).put(payload);
    crc.reset();
    crc.update(b.array(), 0, total - 4);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  private static void header(ByteArrayOutputStream out, String name, String value) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    out.write(n.length);
    out.write(n, 0, n.length);
    out.write(7);
    out.write(v.length >> 8);
    out.write(v.length & 0xFF);
    out.write(v, 0, v.length);
  }
}
