package dev.llmotel.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Side by side: the same app ({@code integration-tests/apps/agent-comparison}) with no agent, with this agent and with
 * the official OpenTelemetry Java agent, alternated round by round, every variant exporting to the same local OTLP
 * sink. This harness serves the chat completions itself (so the server's CPU is in no variant's process) and the
 * sink.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.llmotel.benchmarks.AgentComparison
 * agent/target/llm-otel-agent.jar <official opentelemetry-javaagent.jar>
 * integration-tests/apps/agent-comparison/target/app.jar [rounds=7]}. Options (system properties):
 * <ul>
 *   <li>{@code bench.clients=openai-java,okhttp} the app's client (the official OpenAI Java SDK, raw OkHttp);
 *   <li>{@code bench.latencies=0,5} the server's latency before the first byte, ms;
 *   <li>{@code bench.modes=warm,cold} warm: {@code bench.warmup} (300 non-streamed and 50 streamed calls) then
 *       {@code bench.calls} (3,000 non-streamed, 500 streamed of 20 chunks); cold: the first {@code bench.coldCalls}
 *       (100) non-streamed calls of a fresh JVM; oneshot: one call, then exit (the process wall time is the figure);
 *   <li>{@code bench.variants=none,ours,official} which runs; {@code ours-sdk-off} is this agent with
 *       {@code OTEL_SDK_DISABLED=true}; {@code bench.extraAgents=name=path,...} adds agent jars as more variants (e.g.
 *       this agent before a change); {@code bench.env.<variant>=K=V,...} sets environment variables for one variant;
 *   <li>{@code bench.server=inprocess}: the app serves the calls itself, inside its own JVM (the server's CPU then
 *       counts in every variant's process), instead of this harness;
 *   <li>{@code bench.chunks=20} content chunks per stream; {@code bench.jvmArgs="..."} JVM options for every run.
 * </ul>
 * Prints every run's raw figures ({@code run ...} lines) and, per client, latency and mode, a table: median with the
 * min–max of the rounds per variant, the ratio to no agent, and this agent's added cost as a fraction of the official
 * agent's added cost.
 */
public final class AgentComparison {
  private static final List<String> JVM_ARGS = new ArrayList<>();
  private static final int CHUNKS = Integer.getInteger("bench.chunks", 20);

  static {
    for (String a : System.getProperty("bench.jvmArgs", "").trim().split("\\s+")) {
      if (!a.isEmpty()) JVM_ARGS.add(a);
    }
  }

  private static final byte[] CHAT = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1741569952,"
      + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":\"Hello from the benchmark server.\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,\"total_tokens\":18,\"prompt_tokens_details\":"
      + "{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}},\"service_tier\":\"default\","
      + "\"system_fingerprint\":\"fp_bench\"}").getBytes(StandardCharsets.UTF_8);

  private AgentComparison() {}

  /** A variant: a name, the agent jar (null: none) and extra environment. */
  private static final class Variant {
    final String name;
    final File agent;
    final Map<String, String> env = new LinkedHashMap<>();

    Variant(String name, File agent) {
      this.name = name;
      this.agent = agent;
    }
  }

  public static void main(String[] args) throws Exception {
    File ours = new File(args[0]);
    File official = new File(args[1]);
    File app = new File(args[2]);
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 7;
    List<String> clients = list("bench.clients", "openai-java,okhttp");
    List<String> latencies = list("bench.latencies", "0,5");
    List<String> modes = list("bench.modes", "warm,cold");
    int[] calls = ints(System.getProperty("bench.calls", "3000,500"));
    int[] warmUp = ints(System.getProperty("bench.warmup", "300,50"));
    int coldCalls = Integer.getInteger("bench.coldCalls", 100);

    List<Variant> variants = new ArrayList<>();
    for (String v : list("bench.variants", "none,ours,official")) {
      switch (v) {
        case "none": variants.add(new Variant(v, null)); break;
        case "ours": variants.add(new Variant(v, ours)); break;
        case "official": variants.add(new Variant(v, official)); break;
        case "ours-sdk-off":
          Variant off = new Variant(v, ours);
          off.env.put("OTEL_SDK_DISABLED", "true");
          variants.add(off);
          break;
        default: throw new IllegalArgumentException("unknown variant " + v);
      }
    }
    for (String extra : list("bench.extraAgents", "")) {
      int eq = extra.indexOf('=');
      variants.add(new Variant(extra.substring(0, eq), new File(extra.substring(eq + 1))));
    }
    for (Variant v : variants) {
      for (String kv : list("bench.env." + v.name, "")) {
        int eq = kv.indexOf('=');
        v.env.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }

    AtomicLong traceBytes = new AtomicLong();
    System.setProperty("sun.net.httpserver.nodelay", "true"); // else delayed ACKs add ~40 ms per call
    HttpServer sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    sink.createContext("/", exchange -> {
      boolean traces = exchange.getRequestURI().getPath().endsWith("/v1/traces");
      try (InputStream in = exchange.getRequestBody()) {
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          if (traces) traceBytes.addAndGet(n);
        }
      }
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    sink.setExecutor(Executors.newFixedThreadPool(2));
    sink.start();
    String otlp = "http://127.0.0.1:" + sink.getAddress().getPort();

    Map<Long, HttpServer> servers = new LinkedHashMap<>();
    for (String l : latencies) servers.put(Long.parseLong(l), llmServer(Long.parseLong(l)));

    // key: client/latency/mode -> variant -> rounds
    Map<String, Map<String, List<Map<String, Long>>>> results = new LinkedHashMap<>();
    for (int r = -1; r < rounds; r++) { // round -1 warms the OS file cache and this harness's server, not counted
      for (String client : clients) {
        for (String latency : latencies) {
          HttpServer server = servers.get(Long.parseLong(latency));
          String url = System.getProperty("bench.server", "").equals("inprocess") ? "inprocess:" + latency
              : "http://127.0.0.1:" + server.getAddress().getPort();
          for (String mode : modes) {
            String key = client + " / server latency " + latency + " ms / " + mode;
            String[] appArgs;
            switch (mode) {
              case "warm": appArgs = new String[] {url, "" + calls[0], "" + calls[1], "" + warmUp[0], "" + warmUp[1]};
                break;
              case "cold": appArgs = new String[] {url, "" + coldCalls, "0", "0", "0"}; break;
              case "oneshot": appArgs = new String[] {url, "1", "0", "0", "0"}; break;
              default: throw new IllegalArgumentException("unknown mode " + mode);
            }
            for (int i = 0; i < variants.size(); i++) {
              // rotate the order from round to round so no variant always runs first or right after another
              Variant v = variants.get(Math.floorMod(i + r, variants.size()));
              if (r < 0 && !mode.equals(modes.get(0))) continue;
              Map<String, Long> m = run(app, v, client, appArgs, otlp);
              StringBuilder line = new StringBuilder("run round=" + r + " " + key.replace(" ", "") + " variant="
                  + v.name);
              for (Map.Entry<String, Long> e : m.entrySet()) line.append(' ').append(e.getKey()).append('=')
                  .append(e.getValue());
              System.out.println(line);
              if (r >= 0) {
                results.computeIfAbsent(key, k -> new LinkedHashMap<>())
                    .computeIfAbsent(v.name, k -> new ArrayList<>()).add(m);
              }
            }
          }
        }
      }
    }
    sink.stop(0);
    for (HttpServer s : servers.values()) s.stop(0);

    System.out.printf(Locale.ROOT, "%nJDK %s, %d cores, %d rounds, load average now %.2f; agent jars: ours %,d bytes, "
        + "official %,d bytes; traces received by the sink %,d bytes%s%n", System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), rounds,
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), ours.length(),
        official.length(), traceBytes.get(), JVM_ARGS.isEmpty() ? "" : ", JVM options " + JVM_ARGS);
    for (Map.Entry<String, Map<String, List<Map<String, Long>>>> e : results.entrySet()) {
      report(e.getKey(), e.getValue(), e.getKey().endsWith("warm") ? calls : new int[] {
          e.getKey().endsWith("cold") ? coldCalls : 1, 0});
    }
    System.exit(0); // the servers' executors
  }

  /** The figures reported, in order: label, derived from a run's raw values. */
  private static final String[][] FIGURES = {
      {"loop wall, non-streamed phase (ms)", "chat_wall_ms"},
      {"loop wall, streamed phase (ms)", "stream_wall_ms"},
      {"process CPU during the loop (ms)", "loop_process_cpu_ms"},
      {"process CPU, whole run (ms)", "process_cpu_ms"},
      {"calling-thread CPU per non-streamed call (us)", "chat_thread_cpu_per_call_us"},
      {"calling-thread CPU per streamed call (us)", "stream_thread_cpu_per_call_us"},
      {"allocated per non-streamed call (bytes)", "chat_alloc_per_call"},
      {"allocated per streamed call (bytes)", "stream_alloc_per_call"},
      {"peak RSS (MB)", "peak_rss_mb"},
      {"JVM start -> first call answered (ms)", "first_call_ms"},
      {"process wall (ms)", "process_wall_ms"},
      {"live Java threads after the loop", "threads"},
  };

  private static void report(String key, Map<String, List<Map<String, Long>>> byVariant, int[] calls) {
    System.out.printf(Locale.ROOT, "%n== %s (%d non-streamed, %d streamed calls measured) ==%n", key, calls[0],
        calls[1]);
    List<String> names = new ArrayList<>(byVariant.keySet());
    names.remove("none");
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-46s %-26s", "figure: median [min-max]",
        "none"));
    for (String n : names) head.append(String.format(Locale.ROOT, " %-26s %-8s", n, "ratio"));
    if (names.contains("ours") && names.contains("official")) head.append(" ours' added / official's added");
    System.out.println(head);
    for (String[] f : FIGURES) {
      List<Map<String, Long>> none = byVariant.get("none");
      if (none == null || !none.get(0).containsKey(f[1])) continue;
      double base = median(none, f[1]);
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-46s %-26s", f[0], cell(none, f[1])));
      for (String n : names) {
        List<Map<String, Long>> runs = byVariant.get(n);
        line.append(String.format(Locale.ROOT, " %-26s x%-7.2f", cell(runs, f[1]), median(runs, f[1]) / base));
      }
      if (names.contains("ours") && names.contains("official")) {
        double addedOurs = median(byVariant.get("ours"), f[1]) - base;
        double addedOfficial = median(byVariant.get("official"), f[1]) - base;
        line.append(String.format(Locale.ROOT, " %+.1f / %+.1f = %.2f", addedOurs, addedOfficial,
            addedOurs / addedOfficial));
      }
      System.out.println(line);
    }
  }

  private static String cell(List<Map<String, Long>> runs, String k) {
    long[] v = values(runs, k);
    return String.format(Locale.ROOT, "%.0f [%d-%d]", median(runs, k), v[0], v[v.length - 1]);
  }

  private static long[] values(List<Map<String, Long>> runs, String k) {
    long[] v = new long[runs.size()];
    for (int i = 0; i < v.length; i++) v[i] = runs.get(i).getOrDefault(k, -1L);
    Arrays.sort(v);
    return v;
  }

  private static double median(List<Map<String, Long>> runs, String k) {
    long[] v = values(runs, k);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
  }

  private static Map<String, Long> run(File app, Variant v, String client, String[] appArgs, String otlp)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("java.home") + "/bin/java");
    cmd.addAll(JVM_ARGS);
    cmd.add("-Dcomparison.client=" + client);
    cmd.add("-Dcomparison.chunks=" + CHUNKS);
    if (v.agent != null) cmd.add("-javaagent:" + v.agent.getAbsolutePath());
    cmd.add("-jar");
    cmd.add(app.getAbsolutePath());
    cmd.addAll(Arrays.asList(appArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", otlp);
    pb.environment().put("OTEL_SERVICE_NAME", "agent-comparison");
    pb.environment().putAll(v.env);
    long startEpoch = System.currentTimeMillis();
    long start = System.nanoTime();
    Process p = pb.start();
    Map<String, Long> raw = new LinkedHashMap<>();
    StringBuilder other = new StringBuilder();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        int eq = line.indexOf('=');
        if (eq > 0 && line.substring(eq + 1).matches("-?[0-9]+")) {
          raw.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
        } else if (other.length() < 4000) {
          other.append(line).append('\n');
        }
      }
    }
    int exit = p.waitFor();
    long wall = (System.nanoTime() - start) / 1_000_000;
    if (exit != 0 || !raw.containsKey("checksum")) {
      throw new IllegalStateException("run failed: exit " + exit + " " + cmd + "\n" + other);
    }
    long chatCalls = Long.parseLong(appArgs[1]);
    long streamCalls = Long.parseLong(appArgs[2]);
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("chat_wall_ms", raw.get("chat_wall_us") / 1000);
    if (streamCalls > 0) m.put("stream_wall_ms", raw.get("stream_wall_us") / 1000);
    m.put("loop_process_cpu_ms", raw.get("chat_process_cpu_ms") + raw.get("stream_process_cpu_ms"));
    m.put("process_cpu_ms", raw.get("process_cpu_ms"));
    m.put("chat_thread_cpu_per_call_us", raw.get("chat_thread_cpu_us") / Math.max(1, chatCalls));
    if (streamCalls > 0) m.put("stream_thread_cpu_per_call_us", raw.get("stream_thread_cpu_us") / streamCalls);
    m.put("chat_alloc_per_call", raw.get("chat_alloc_bytes") / Math.max(1, chatCalls));
    if (streamCalls > 0) m.put("stream_alloc_per_call", raw.get("stream_alloc_bytes") / streamCalls);
    m.put("peak_rss_mb", raw.get("peak_rss_kb") / 1024);
    m.put("first_call_ms", raw.get("first_call_epoch_ms") - startEpoch);
    m.put("process_wall_ms", wall);
    m.put("threads", raw.get("threads"));
    m.put("native_threads", raw.get("native_threads"));
    m.put("checksum", raw.get("checksum"));
    return m;
  }

  /** The harness's LLM server: a chat completion, or a stream of {@link #CHUNKS} content chunks and a usage chunk. */
  private static HttpServer llmServer(long latencyMillis) throws java.io.IOException {
    byte[][] stream = streamChunks();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/v1/chat/completions", exchange -> {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      boolean streamed = new String(body, StandardCharsets.UTF_8).replace(" ", "").contains("\"stream\":true");
      if (latencyMillis > 0) {
        try {
          Thread.sleep(latencyMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (streamed) {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
          for (byte[] chunk : stream) {
            out.write(chunk);
            out.flush();
          }
        }
      } else {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, CHAT.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(CHAT);
        }
      }
    });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    return server;
  }

  private static byte[][] streamChunks() {
    String head = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_bench\",";
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < CHUNKS; i++) {
      String delta = (i == 0 ? "\"role\":\"assistant\"," : "") + "\"content\":\"word" + i + " \"";
      chunks.add((head + "\"choices\":[{\"index\":0,\"delta\":{" + delta + "},\"logprobs\":null,"
          + "\"finish_reason\":null}],\"usage\":null}\n\n").getBytes(StandardCharsets.UTF_8));
    }
    chunks.add((head + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":null}\n\n").getBytes(StandardCharsets.UTF_8));
    chunks.add((head + "\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":" + CHUNKS
        + ",\"total_tokens\":" + (11 + CHUNKS) + "}}\n\n").getBytes(StandardCharsets.UTF_8));
    chunks.add("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    return chunks.toArray(new byte[0][]);
  }

  private static List<String> list(String property, String defaults) {
    List<String> out = new ArrayList<>();
    for (String s : System.getProperty(property, defaults).split(",")) {
      if (!s.trim().isEmpty()) out.add(s.trim());
    }
    return out;
  }

  private static int[] ints(String csv) {
    String[] parts = csv.split(",");
    return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
  }
}
