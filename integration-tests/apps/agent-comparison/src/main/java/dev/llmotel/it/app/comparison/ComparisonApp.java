package dev.llmotel.it.app.comparison;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Iterator;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * The app {@code benchmarks/ AgentComparison} runs without an agent, with this agent and with the official
 * OpenTelemetry agent. It makes sequential chat completion calls against the URL it is given (the harness's server),
 * over the official OpenAI Java SDK ({@code -Dcomparison.client=openai-java}, default) or raw OkHttp
 * ({@code okhttp}, the version the SDK brings), every body read fully.
 *
 * <p>Arguments: {@code <base URL> <chat calls> <streamed calls> <warm-up chat calls> <warm-up streamed calls>}. The
 * phases run in that order after the warm-up: first the non-streamed calls, then the streamed ones. A cold run is
 * {@code <url> 100 0 0 0}: the first 100 calls of a fresh JVM.
 *
 * <p>{@code inprocess[:latency ms]} as the URL: the app serves the calls itself ({@link LlmServer}).
 *
 * <p>Prints {@code key=value} lines: {@code first_call_epoch_ms} (when the first call was answered), per phase
 * ({@code chat}, {@code stream}) {@code <phase>_wall_us}, {@code <phase>_thread_cpu_us} (the calling thread's CPU),
 * {@code <phase>_alloc_bytes} (allocated by the calling thread), {@code <phase>_process_cpu_ms} (user + system of the
 * whole process, /proc/self/stat); then {@code threads} (live Java threads after the loop), {@code native_threads}
 * (/proc/self/task), {@code process_cpu_ms} (the whole process until then), {@code peak_rss_kb} (VmHWM) and
 * {@code checksum} (characters of content received: the same with and without an agent).
 */
public final class ComparisonApp {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static long firstCallEpochMs = -1;

  private ComparisonApp() {}

  private static long answered(long content) {
    if (firstCallEpochMs < 0) firstCallEpochMs = System.currentTimeMillis();
    return content;
  }

  /** One LLM call; returns the length of the content received. */
  interface Client extends AutoCloseable {
    long chat() throws Exception;

    long stream() throws Exception;

    @Override
    void close();
  }

  public static void main(String[] args) throws Exception {
    // "inprocess[:latency ms]": this JVM serves the calls itself (as the issue's first measurement did)
    com.sun.net.httpserver.HttpServer own = null;
    String url = args[0];
    if (url.startsWith("inprocess")) {
      own = LlmServer.start(url.contains(":") ? Long.parseLong(url.substring(url.indexOf(':') + 1)) : 0,
          Integer.getInteger("comparison.chunks", 20));
      url = "http://127.0.0.1:" + own.getAddress().getPort();
    }
    int chatCalls = Integer.parseInt(args[1]);
    int streamCalls = Integer.parseInt(args[2]);
    int warmChat = Integer.parseInt(args[3]);
    int warmStream = Integer.parseInt(args[4]);
    String name = System.getProperty("comparison.client", "openai-java");
    long checksum = 0;
    try (Client client = name.equals("okhttp") ? new OkHttpClientCalls(url) : new OpenAiJavaCalls(url)) {
      // a cold run (no warm-up) measures from before the JVM's first call
      Phase chat = warmChat + warmStream == 0 ? new Phase("chat") : null;
      for (int i = 0; i < warmChat; i++) checksum += answered(client.chat());
      for (int i = 0; i < warmStream; i++) checksum += answered(client.stream());
      if (chat == null) chat = new Phase("chat");
      for (int i = 0; i < chatCalls; i++) checksum += answered(client.chat());
      chat.end();
      Phase stream = new Phase("stream");
      for (int i = 0; i < streamCalls; i++) checksum += answered(client.stream());
      stream.end();
    }
    if (own != null) own.stop(0);
    System.out.println("first_call_epoch_ms=" + firstCallEpochMs);
    System.out.println("threads=" + THREADS.getThreadCount());
    String[] tasks = new java.io.File("/proc/self/task").list();
    System.out.println("native_threads=" + (tasks == null ? -1 : tasks.length));
    System.out.println("process_cpu_ms=" + processCpuMillis());
    if (PER_THREAD) {
      for (java.util.Map.Entry<String, Long> e : threadCpu().entrySet()) {
        if (e.getValue() > 0) System.err.println("process CPU ms " + e.getValue() + " " + e.getKey());
      }
    }
    System.out.println("peak_rss_kb=" + peakRssKb());
    System.out.println("checksum=" + checksum);
  }

  /** A measured phase of the loop: wall, calling-thread CPU and allocation, process CPU. */
  private static final class Phase {
    private final String name;
    private final long wall = System.nanoTime();
    private final long threadCpu = THREADS.getCurrentThreadCpuTime();
    private final long alloc = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    private final long processCpu = processCpuMillis();
    private final java.util.Map<String, Long> perThread = PER_THREAD ? threadCpu() : null;

    Phase(String name) {
      this.name = name;
    }

    void end() {
      long wallNow = System.nanoTime();
      long cpuNow = THREADS.getCurrentThreadCpuTime();
      long allocNow = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
      long processNow = processCpuMillis();
      System.out.println(name + "_wall_us=" + (wallNow - wall) / 1000);
      System.out.println(name + "_thread_cpu_us=" + (cpuNow - threadCpu) / 1000);
      System.out.println(name + "_alloc_bytes=" + (allocNow - alloc));
      System.out.println(name + "_process_cpu_ms=" + (processNow - processCpu));
      if (perThread != null) {
        for (java.util.Map.Entry<String, Long> e : threadCpu().entrySet()) {
          long used = e.getValue() - perThread.getOrDefault(e.getKey(), 0L);
          if (used > 0) System.err.println(name + " phase CPU ms " + used + " " + e.getKey());
        }
      }
    }
  }

  /** {@code COMPARISON_THREAD_CPU=1}: print every thread's CPU during each phase (stderr). */
  private static final boolean PER_THREAD = System.getenv("COMPARISON_THREAD_CPU") != null;

  /** CPU ms of every native thread of this process (Linux /proc) by name, JIT and GC threads included. */
  static java.util.Map<String, Long> threadCpu() {
    java.util.Map<String, Long> byName = new java.util.TreeMap<>();
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) return byName;
    for (java.io.File task : tasks) {
      try {
        String stat = new String(Files.readAllBytes(new java.io.File(task, "stat").toPath()), StandardCharsets.UTF_8);
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+$", "#");
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        byName.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10, Long::sum);
      } catch (IOException | RuntimeException gone) {
        // the thread ended
      }
    }
    return byName;
  }

  /** User + system CPU of this process so far (Linux /proc/self/stat, clock ticks of 10 ms). */
  static long processCpuMillis() {
    try {
      String stat = new String(Files.readAllBytes(Paths.get("/proc/self/stat")), StandardCharsets.US_ASCII);
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static long peakRssKb() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmHWM:")) return Long.parseLong(line.substring(6).replace("kB", "").trim());
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  /** The official OpenAI Java SDK (OkHttp underneath). */
  private static final class OpenAiJavaCalls implements Client {
    private final OpenAIClient client;
    private final ChatCompletionCreateParams chat;
    private final ChatCompletionCreateParams stream;

    OpenAiJavaCalls(String url) {
      client = OpenAIOkHttpClient.builder().baseUrl(url + "/v1").apiKey("sk-bench").maxRetries(0).build();
      chat = ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("Say hello.").build();
      stream = chat.toBuilder().streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
          .build();
    }

    @Override
    public long chat() {
      ChatCompletion completion = client.chat().completions().create(chat);
      return completion.choices().get(0).message().content().map(String::length).orElse(0);
    }

    @Override
    public long stream() {
      long n = 0;
      try (StreamResponse<ChatCompletionChunk> response = client.chat().completions().createStreaming(stream)) {
        Iterator<ChatCompletionChunk> it = response.stream().iterator();
        while (it.hasNext()) {
          ChatCompletionChunk chunk = it.next();
          for (ChatCompletionChunk.Choice choice : chunk.choices()) {
            n += choice.delta().content().map(String::length).orElse(0);
          }
        }
      }
      return n;
    }

    @Override
    public void close() {
      client.close();
    }
  }

  /** Raw OkHttp: the same requests as the SDK's, each body read fully (the stream line by line). */
  private static final class OkHttpClientCalls implements Client {
    private static final MediaType JSON = MediaType.get("application/json");
    private final OkHttpClient client = new OkHttpClient();
    private final Request chat;
    private final Request stream;

    OkHttpClientCalls(String url) {
      String endpoint = url + "/v1/chat/completions";
      chat = new Request.Builder().url(endpoint).header("Authorization", "Bearer sk-bench")
          .post(RequestBody.create("{\"messages\":[{\"content\":\"Say hello.\",\"role\":\"user\"}],"
              + "\"model\":\"gpt-4o-mini\"}", JSON)).build();
      stream = new Request.Builder().url(endpoint).header("Authorization", "Bearer sk-bench")
          .post(RequestBody.create("{\"messages\":[{\"content\":\"Say hello.\",\"role\":\"user\"}],"
              + "\"model\":\"gpt-4o-mini\",\"stream_options\":{\"include_usage\":true},\"stream\":true}", JSON))
          .build();
    }

    @Override
    public long chat() throws IOException {
      try (Response response = client.newCall(chat).execute()) {
        return response.body().string().length();
      }
    }

    @Override
    public long stream() throws IOException {
      long n = 0;
      try (Response response = client.newCall(stream).execute()) {
        BufferedSource source = response.body().source();
        for (String line; (line = source.readUtf8Line()) != null; ) {
          if (line.startsWith("data: ") && line.contains("\"content\":\"")) n++;
          if (line.equals("data: [DONE]")) break;
        }
      }
      return n;
    }

    @Override
    public void close() {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }
}
