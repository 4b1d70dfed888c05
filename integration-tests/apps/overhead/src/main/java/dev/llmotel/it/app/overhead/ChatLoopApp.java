package dev.llmotel.it.app.overhead;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Overhead benchmark app. Arguments: number of calls (default 3000), warm-up calls (default 300), server latency in
 * ms (default 0), and optionally the chat completions URL of a server in another process. Without that URL it serves
 * a fixed chat completion from an in-process server (zero latency). Makes sequential non-streaming calls, reading
 * each body fully, over the HTTP client {@code -Dchatloop.client} names (default {@code okhttp}; see
 * {@link ChatClient#NAMES}). Prints {@code loop_ms=<ms for the measured calls>}, {@code loop_cpu_ms=<CPU time of the
 * calling thread during them>} and {@code checksum=<sum of body lengths>}. {@code serve [latency ms]} instead only
 * serves: it prints {@code url=<chat completions URL>}, warms itself up with its own calls (OkHttp), and stops when
 * its standard input ends.
 */
public final class ChatLoopApp {
  static final byte[] RESPONSE = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1741569952,"
      + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":\"Hello from the benchmark server.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":11,"
      + "\"completion_tokens\":7,\"total_tokens\":18,\"prompt_tokens_details\":{\"cached_tokens\":0},"
      + "\"completion_tokens_details\":{\"reasoning_tokens\":0}},\"system_fingerprint\":\"fp_bench\"}")
      .getBytes(StandardCharsets.UTF_8);
  static final String REQUEST = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":"
      + "\"Say hello.\"}],\"temperature\":0.2,\"max_tokens\":64}";

  private ChatLoopApp() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("serve")) {
      serve(args.length > 1 ? Long.parseLong(args[1]) : 0);
      return;
    }
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    long latencyMillis = args.length > 2 ? Long.parseLong(args[2]) : 0;
    String externalUrl = args.length > 3 ? args[3] : null;
    HttpServer server = externalUrl == null ? server(latencyMillis) : null;
    if (server != null) server.start();
    String url = server == null ? externalUrl : url(server);
    ChatClient client = ChatClient.open(System.getProperty("chatloop.client", ChatClient.NAMES[0]), url);
    long checksum = 0;
    for (int i = 0; i < warmUp; i++) checksum += client.call();
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    boolean perThreadCpu = System.getenv("CHATLOOP_THREAD_CPU") != null;
    java.util.Map<String, Long> cpuBefore = perThreadCpu ? threadCpu() : null;
    long startCpu = threads.getCurrentThreadCpuTime();
    long startUptime = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) checksum += client.call();
    long loopMs = (System.nanoTime() - start) / 1_000_000;
    long loopCpuMs = (threads.getCurrentThreadCpuTime() - startCpu) / 1_000_000;
    java.util.Map<String, Long> cpuAfter = perThreadCpu ? threadCpu() : null;
    if (server != null) server.stop(0);
    client.close();
    System.out.println("loop_ms=" + loopMs);
    System.out.println("loop_cpu_ms=" + loopCpuMs);
    System.out.println("checksum=" + checksum);
    if (perThreadCpu) {
      System.err.println("loop_uptime_ms " + startUptime + " " + (startUptime + loopMs));
      printThreadCpu(cpuBefore, cpuAfter);
    }
  }

  /** Diagnostic: CPU ms of every native thread of this process (Linux /proc) by name, JIT and GC threads included. */
  private static java.util.Map<String, Long> threadCpu() throws java.io.IOException {
    java.util.Map<String, Long> byName = new java.util.TreeMap<>();
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) return byName;
    for (java.io.File task : tasks) {
      String stat;
      try {
        stat = new String(java.nio.file.Files.readAllBytes(new java.io.File(task, "stat").toPath()),
            StandardCharsets.UTF_8);
      } catch (java.io.IOException gone) {
        continue;
      }
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')');
      String name = stat.substring(open + 1, close).replaceAll("[0-9]+$", "#");
      String[] fields = stat.substring(close + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      byName.merge(name, ticks * 10, Long::sum);
    }
    return byName;
  }

  /** Diagnostic: CPU ms per thread name during the measured loop, and in the whole process. */
  private static void printThreadCpu(java.util.Map<String, Long> before, java.util.Map<String, Long> after) {
    long loopTotal = 0;
    long total = 0;
    for (java.util.Map.Entry<String, Long> e : after.entrySet()) {
      long loop = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      loopTotal += loop;
      total += e.getValue();
      if (e.getValue() > 0) System.err.println("cpu_ms loop " + loop + " process " + e.getValue() + " " + e.getKey());
    }
    System.err.println("cpu_ms loop " + loopTotal + " process " + total + " TOTAL");
  }

  private static HttpServer server(long latencyMillis) throws java.io.IOException {
    // without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs: ~40 ms per call
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/v1/chat/completions", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
      }
      if (latencyMillis > 0) {
        try {
          Thread.sleep(latencyMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, RESPONSE.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(RESPONSE);
      }
    });
    return server;
  }

  private static String url(HttpServer server) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/chat/completions";
  }

  private static void serve(long latencyMillis) throws Exception {
    HttpServer server = server(latencyMillis);
    server.start();
    String url = url(server);
    try (OkHttpChat client = new OkHttpChat(url, false)) {
      for (int i = 0; i < 5000; i++) client.call(); // the server's JIT warms up before anyone measures
    }
    System.out.println("url=" + url);
    System.out.flush();
    while (System.in.read() >= 0) {
      // serve until the harness closes our standard input
    }
    server.stop(0);
  }
}
