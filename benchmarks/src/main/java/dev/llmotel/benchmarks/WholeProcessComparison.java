package dev.llmotel.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whole-process overhead: runs the same app (N sequential non-streaming chat calls against a zero-latency server in
 * its own JVM) alternately without and with {@code -javaagent}, in one run, and reports medians and ratios: the
 * measured loop time, and the process wall time (start-up included). The agent exports to a local OTLP sink that
 * answers 200, so export work is part of the measurement.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.llmotel.benchmarks.WholeProcessComparison
 * agent/target/llm-otel-agent.jar integration-tests/apps/overhead/target/app.jar [rounds=7] [calls=3000]
 * [warm-up calls=300] [server latency ms=0]}; {@code -Dbench.client=NAME} makes the app's calls over another HTTP
 * client (the app's {@code -Dchatloop.client}: okhttp by default, java-http-client, apache-httpclient-5,
 * apache-httpclient-4, reactor-netty, http-url-connection, vertx); {@code -Dbench.jvmArgs="..."} adds JVM options to
 * both runs;
 * {@code -Dbench.externalServer=true} serves the chat completions from one more JVM (the app in server mode, warmed up,
 * no agent) instead of a server inside the app: the app's JVM then holds only the client, as when the LLM server is
 * another process.
 */
public final class WholeProcessComparison {
  private static final List<String> JVM_ARGS = new ArrayList<>();
  /** The app's HTTP client, null for the app's default (OkHttp). */
  private static final String CLIENT = System.getProperty("bench.client");

  static {
    for (String a : System.getProperty("bench.jvmArgs", "").trim().split("\\s+")) {
      if (!a.isEmpty()) JVM_ARGS.add(a);
    }
  }

  private WholeProcessComparison() {}

  public static void main(String[] args) throws Exception {
    File agent = new File(args[0]);
    File app = new File(args[1]);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    int calls = args.length > 3 ? Integer.parseInt(args[3]) : 3000;
    int warmUp = args.length > 4 ? Integer.parseInt(args[4]) : 300;
    long latencyMillis = args.length > 5 ? Long.parseLong(args[5]) : 0;
    AtomicLong exportRequests = new AtomicLong();
    AtomicLong traceRequests = new AtomicLong();
    AtomicLong traceBytes = new AtomicLong();
    HttpServer sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    sink.createContext("/", exchange -> {
      boolean traces = exchange.getRequestURI().getPath().endsWith("/v1/traces");
      try (InputStream in = exchange.getRequestBody()) {
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          if (traces) traceBytes.addAndGet(n);
        }
      }
      exportRequests.incrementAndGet();
      if (traces) traceRequests.incrementAndGet();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    sink.start();
    String otlp = "http://127.0.0.1:" + sink.getAddress().getPort();
    String chatUrl = Boolean.getBoolean("bench.externalServer") ? chatServer(app, latencyMillis) : null;

    List<long[]> plain = new ArrayList<>();
    List<long[]> agented = new ArrayList<>();
    run(app, null, calls, warmUp, latencyMillis, otlp, chatUrl); // warm the OS file cache
    run(app, agent, calls, warmUp, latencyMillis, otlp, chatUrl);
    for (int r = 0; r < rounds; r++) {
      plain.add(run(app, null, calls, warmUp, latencyMillis, otlp, chatUrl));
      agented.add(run(app, agent, calls, warmUp, latencyMillis, otlp, chatUrl));
    }
    sink.stop(0);
    if (chatServerProcess != null) {
      chatServerProcess.getOutputStream().close();
      chatServerProcess.waitFor();
    }

    double plainLoop = median(plain, 0);
    double agentLoop = median(agented, 0);
    double plainWall = median(plain, 1);
    double agentWall = median(agented, 1);
    System.out.printf(Locale.ROOT, "%d sequential non-streaming chat calls over %s (server latency %d ms, server %s) "
        + "after %d warm-up calls, %d rounds, JDK %s, %d cores%s%n", calls, CLIENT == null ? "okhttp" : CLIENT,
        latencyMillis,
        chatUrl == null ? "inside the app's JVM" : "in another JVM", warmUp, rounds, System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), JVM_ARGS.isEmpty() ? "" : ", JVM options " + JVM_ARGS);
    System.out.printf(Locale.ROOT, "loop (calls only)   without agent %7.0f ms   with agent %7.0f ms   ratio %.3f   "
        + "(%.1f us per call added)%n", plainLoop, agentLoop, agentLoop / plainLoop,
        (agentLoop - plainLoop) * 1000 / calls);
    double plainCpu = median(plain, 2);
    double agentCpu = median(agented, 2);
    System.out.printf(Locale.ROOT, "calling thread CPU  without agent %7.0f ms   with agent %7.0f ms   ratio %.3f   "
        + "(%.1f us per call added)%n", plainCpu, agentCpu, agentCpu / plainCpu, (agentCpu - plainCpu) * 1000 / calls);
    System.out.printf(Locale.ROOT, "process wall time   without agent %7.0f ms   with agent %7.0f ms   ratio %.3f%n",
        plainWall, agentWall, agentWall / plainWall);
    System.out.println("OTLP export requests received: " + exportRequests.get() + " (traces: " + traceRequests.get()
        + " requests, " + traceBytes.get() + " bytes)");
    System.out.println(series("loop ms", plain, agented, 0));
    System.out.println(series("calling thread CPU ms", plain, agented, 2));
    System.out.println(series("process wall ms", plain, agented, 1));
  }

  /** Every round's value, in run order: the spread behind the medians. */
  private static String series(String what, List<long[]> plain, List<long[]> agented, int column) {
    StringBuilder line = new StringBuilder(what).append(" per round, without / with agent:");
    for (int i = 0; i < plain.size(); i++) {
      line.append(' ').append(plain.get(i)[column]).append('/').append(agented.get(i)[column]);
    }
    return line.toString();
  }

  /**
   * Starts the app in server mode in its own JVM (no agent), warms it with a few thousand calls of its own, and
   * returns its URL. It stops when this harness closes its standard input.
   */
  private static String chatServer(File app, long latencyMillis) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("java.home") + "/bin/java");
    cmd.addAll(Arrays.asList("-jar", app.getAbsolutePath(), "serve", Long.toString(latencyMillis)));
    Process server = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    chatServerProcess = server;
    BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("url=")) return line.substring(4);
    }
    throw new IllegalStateException("the chat server did not start: " + cmd);
  }

  /** The chat server started by {@link #chatServer}, or null. */
  private static Process chatServerProcess;

  /** @return {loop ms reported by the app, process wall ms, CPU ms of the app's calling thread during the loop} */
  private static long[] run(File app, File agent, int calls, int warmUp, long latencyMillis, String otlp, String chatUrl)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("java.home") + "/bin/java");
    cmd.addAll(JVM_ARGS);
    if (CLIENT != null) cmd.add("-Dchatloop.client=" + CLIENT);
    if (agent != null) cmd.add("-javaagent:" + agent.getAbsolutePath());
    cmd.addAll(Arrays.asList("-jar", app.getAbsolutePath(), Integer.toString(calls), Integer.toString(warmUp),
        Long.toString(latencyMillis)));
    if (chatUrl != null) cmd.add(chatUrl);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", otlp);
    pb.environment().put("OTEL_SERVICE_NAME", "overhead-bench");
    long start = System.nanoTime();
    Process p = pb.start();
    long loop = -1;
    long loopCpu = -1;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("loop_ms=")) loop = Long.parseLong(line.substring(8));
        if (line.startsWith("loop_cpu_ms=")) loopCpu = Long.parseLong(line.substring(12));
      }
    }
    int exit = p.waitFor();
    long wall = (System.nanoTime() - start) / 1_000_000;
    if (exit != 0 || loop < 0) throw new IllegalStateException("run failed: exit " + exit + " " + cmd);
    return new long[] {loop, wall, loopCpu};
  }

  private static double median(List<long[]> runs, int column) {
    long[] v = new long[runs.size()];
    for (int i = 0; i < v.length; i++) v[i] = runs.get(i)[column];
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
  }
}
