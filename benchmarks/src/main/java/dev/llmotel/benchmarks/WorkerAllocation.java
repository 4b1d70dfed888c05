package dev.llmotel.benchmarks;

import com.sun.management.ThreadMXBean;
import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.openai.OpenAiDialect;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Bytes allocated and CPU time taken on the calling thread by one whole OpenAI dialect session, driven the way the
 * agent's worker drives it ({@link DialectSessions}): a plain chat call (request of about 300 B, response of about
 * 1 KB) and a streamed one (23 SSE events of chat.completion.chunk), content capture off and on. Measured with
 * {@code ThreadMXBean.getThreadAllocatedBytes} and {@code getCurrentThreadCpuTime} over many calls after warm-up;
 * prints the median of the rounds and their spread.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.llmotel.benchmarks.WorkerAllocation [rounds] [callsPerRound]</pre>
 */
public final class WorkerAllocation {
  static final String PLAIN_REQUEST = "{\"model\":\"gpt-4o-mini\",\"temperature\":0.7,\"max_completion_tokens\":256,"
      + "\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"},{\"role\":\"user\","
      + "\"content\":\"Say hello.\"}]}";

  private WorkerAllocation() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    ExchangeRequest request = new ExchangeRequest("POST", "https", "api.openai.com", 443, "/v1/chat/completions",
        null, HeaderLookup.NONE);
    byte[] plainRequest = PLAIN_REQUEST.getBytes(StandardCharsets.UTF_8);
    byte[] streamRequest = OpenAiPayloads.REQUEST.getBytes(StandardCharsets.UTF_8);
    byte[] completion = OpenAiPayloads.chatCompletion(300);
    byte[] stream = OpenAiPayloads.chunkStream(6_800);
    int events = count(stream, "data: ");
    System.out.printf("plain: request %d B, response %d B; streamed: request %d B, %d events, %d B%n",
        plainRequest.length, completion.length, streamRequest.length, events, stream.length);
    Dialect dialect = new OpenAiDialect();
    DialectContext plain = DialectContext.defaults();
    DialectContext content = DialectContext.builder().captureContent(2048).build();
    for (DialectContext context : new DialectContext[] {plain, content}) {
      String label = context.captureContent() ? "content on " : "content off";
      measure(label + ", plain call   ", rounds, calls,
          () -> DialectSessions.drive(dialect, context, request, plainRequest, DialectSessions.JSON, completion));
      measure(label + ", streamed call", rounds, calls / 4,
          () -> DialectSessions.drive(dialect, context, request, streamRequest, DialectSessions.SSE, stream));
    }
  }

  private static void measure(String label, int rounds, int calls, Call call) {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long sink = 0;
    for (int i = 0; i < calls; i++) sink += call.run().usage.outputTokens; // warm-up
    double[] bytes = new double[rounds];
    double[] cpu = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long b0 = threads.getThreadAllocatedBytes(id);
      long c0 = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < calls; i++) sink += call.run().usage.outputTokens;
      cpu[r] = (threads.getCurrentThreadCpuTime() - c0) / 1000.0 / calls;
      bytes[r] = (double) (threads.getThreadAllocatedBytes(id) - b0) / calls;
    }
    System.out.printf("%s: %,8.0f B/call (%,.0f..%,.0f)   %6.2f us CPU/call (%.2f..%.2f)   [%d]%n", label,
        median(bytes), min(bytes), max(bytes), median(cpu), min(cpu), max(cpu), sink % 10);
  }

  interface Call {
    CallFacts run();
  }

  private static int count(byte[] body, String needle) {
    String s = new String(body, StandardCharsets.UTF_8);
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
    return n;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(0);
  }

  private static double max(double[] v) {
    return Arrays.stream(v).max().orElse(0);
  }
}
