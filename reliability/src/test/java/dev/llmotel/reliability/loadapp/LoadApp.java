package dev.llmotel.reliability.loadapp;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application of {@code LoadJvmTest}, run in its own JVM with the agent: {@code threads} threads each make
 * {@code calls} chat calls with the JDK's HttpClient to the LLM simulator, by turns plain, streamed with usage read to
 * the end, and streamed without usage closed after the first line (abandoned), after a warm-up round of 3 calls per
 * thread. Prints one line {@code key=value ...} with the calls of each kind, the bytes read and the live thread
 * count in the middle of the run (after half the calls: "after warm-up") and at the end.
 *
 * <p>Arguments: {@code <simulator base URL> <threads> <calls per thread>}.
 */
public final class LoadApp {
  static final String PLAIN = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
  static final String STREAMED = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":"
      + "{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
  /** No usage asked: whatever part of it the agent sees before the close, the stream adds no tokens. */
  static final String ABANDONED = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\","
      + "\"content\":\"Say hello.\"}]}";

  private LoadApp() {}

  public static void main(String[] args) throws Exception {
    URI uri = URI.create(args[0] + "/v1/chat/completions");
    int threads = Integer.parseInt(args[1]);
    int calls = Integer.parseInt(args[2]);
    // the client's own executor is fixed: its default (a cached pool) grows with the load on its own, which would
    // hide whatever threads the agent might add
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .executor(Executors.newFixedThreadPool(4, r -> {
          Thread t = new Thread(r, "app-http-client");
          t.setDaemon(true);
          return t;
        }))
        .connectTimeout(Duration.ofSeconds(10)).build();
    AtomicLong[] kinds = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
    AtomicLong bytes = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    round(pool, threads, 3, client, uri, kinds, bytes, failures);
    long started = System.nanoTime();
    // the thread count is compared between the middle and the end of the run: by the middle every pool (the
    // client's, the agent's) has grown to what this concurrency needs
    round(pool, threads, calls / 2, client, uri, kinds, bytes, failures);
    int threadsAfterWarmUp = liveThreads();
    String namesAfterWarmUp = threadNames();
    round(pool, threads, calls - calls / 2, client, uri, kinds, bytes, failures);
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
    int threadsAtEnd = liveThreads();
    System.err.println("threads in the middle: " + namesAfterWarmUp);
    System.err.println("threads at the end:    " + threadNames());
    pool.shutdown();
    System.out.println("plain=" + kinds[0] + " streamed=" + kinds[1] + " abandoned=" + kinds[2] + " bytes=" + bytes
        + " failures=" + failures + " millis=" + elapsedMillis + " threadsAfterWarmUp=" + threadsAfterWarmUp
        + " threadsAtEnd=" + threadsAtEnd);
  }

  private static void round(ExecutorService pool, int threads, int calls, HttpClient client, URI uri,
      AtomicLong[] kinds, AtomicLong bytes, AtomicLong failures) throws Exception {
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(pool.submit(() -> {
        for (int i = 0; i < calls; i++) {
          int kind = (thread + i) % 3;
          try {
            bytes.addAndGet(call(client, uri, kind));
            kinds[kind].incrementAndGet();
          } catch (Exception e) {
            failures.incrementAndGet();
            System.err.println("call failed: " + e);
          }
        }
      }));
    }
    for (Future<?> f : done) f.get();
  }

  private static long call(HttpClient client, URI uri, int kind) throws Exception {
    String body = kind == 0 ? PLAIN : kind == 1 ? STREAMED : ABANDONED;
    HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .header("Authorization", "Bearer sk-load-test-key-0123456789")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    if (kind == 0) {
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) throw new IllegalStateException("status " + response.statusCode());
      return response.body().length;
    }
    HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) throw new IllegalStateException("status " + response.statusCode());
    long read = 0;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        read += line.length() + 1;
        if (kind == 2 && line.startsWith("data:")) break; // abandoned after its first event
      }
    }
    return read;
  }

  /** Live threads by name, digits dropped (pool-1-thread-7 counts as pool-#-thread-#). */
  private static String threadNames() {
    java.util.TreeMap<String, Integer> names = new java.util.TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) names.merge(t.getName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
    return names.toString();
  }

  private static int liveThreads() throws InterruptedException {
    Thread.sleep(500); // let finished helpers (connection closers, timers) end
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }
}
