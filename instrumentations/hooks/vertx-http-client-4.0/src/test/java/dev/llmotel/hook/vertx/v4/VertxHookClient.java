package dev.llmotel.hook.vertx.v4;

import dev.llmotel.testkit.hook.HookClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Vert.x {@link HttpClient} used as an application (a verticle) uses it: every call starts on one Vert.x context and
 * its callbacks run on that context's event loop; only this test
 * adapter blocks (the test thread, waiting for the future or the next chunk). The request is sent whole
 * ({@code send(Buffer)}) or in chunked writes ({@code setChunked(true)}, {@code write}, {@code end()}); the response is
 * read through its {@code handler} / {@code endHandler} (set on the event loop as the response arrives, so no chunk
 * is missed) or taken whole from {@code body()}. Closing a response that has not ended resets its request.
 */
final class VertxHookClient implements HookClient {
  /** How a response body reaches the application. */
  enum Read { HANDLER, BODY }

  private final Vertx vertx = Vertx.vertx();
  /** The application's context: every call starts on it, so its callbacks run in order on its event loop. */
  private final Context context = vertx.getOrCreateContext();
  private final HttpClient http = vertx.createHttpClient(new HttpClientOptions().setIdleTimeout(20));
  private final Read read;
  private final boolean chunkedUpload;

  VertxHookClient(Read read, boolean chunkedUpload) {
    this.read = read;
    this.chunkedUpload = chunkedUpload;
  }

  @Override
  public boolean streamsBody() {
    return read == Read.HANDLER;
  }

  /** Vert.x reports a broken connection with its own runtime exception, a refused one with a ConnectException. */
  @Override
  public Class<? extends Throwable> transportException() {
    return Exception.class;
  }

  @Override
  public HookResponse post(URI uri, Map<String, String> headers, byte[] body) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(uri.toString());
    headers.forEach(options::putHeader);
    Body stream = new Body();
    CompletableFuture<HttpClientResponse> result = new CompletableFuture<>();
    context.runOnContext(go -> http.request(options).compose(request -> send(request, body)).onComplete(ar -> {
      if (ar.failed()) {
        result.completeExceptionally(ar.cause());
        return;
      }
      HttpClientResponse response = ar.result();
      if (read == Read.HANDLER) {
        response.handler(chunk -> stream.add(chunk.getBytes()));
        response.endHandler(v -> stream.add(Body.END));
        response.exceptionHandler(stream::add);
      } else {
        response.body().onComplete(whole -> {
          if (whole.succeeded()) {
            stream.add(whole.result().getBytes());
            stream.add(Body.END);
          } else {
            stream.add(whole.cause());
          }
        });
      }
      result.complete(response);
    }));
    HttpClientResponse response;
    try {
      response = result.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
    if (read == Read.BODY) stream.awaitEnd();
    return new HookResponse() {
      @Override public int status() { return response.statusCode(); }
      @Override public String header(String name) { return response.getHeader(name); }
      @Override public byte[] readAll() throws Exception { return stream.readAll(); }
      @Override public byte[] readExactly(int n) throws Exception { return stream.readExactly(n); }
      @Override public String readLine() throws Exception { return stream.readLine(); }

      /** Resets the request on the application's context, and returns once it has. */
      @Override
      public void close() throws Exception {
        if (stream.ended()) return;
        CompletableFuture<Void> reset = new CompletableFuture<>();
        context.runOnContext(v -> {
          response.request().reset();
          reset.complete(null);
        });
        reset.get(10, TimeUnit.SECONDS);
      }
    };
  }

  private Future<HttpClientResponse> send(HttpClientRequest request, byte[] body) {
    if (!chunkedUpload) return request.send(Buffer.buffer(body));
    request.setChunked(true);
    int piece = Math.max(1, body.length / 3);
    for (int i = 0; i < body.length; i += piece) {
      request.write(Buffer.buffer(Arrays.copyOfRange(body, i, Math.min(body.length, i + piece))));
    }
    request.end();
    return request.response();
  }

  @Override
  public void close() throws Exception {
    http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The body as delivered on the event loop, consumed by the test thread. */
  static final class Body {
    static final Object END = new Object();
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private byte[] current = new byte[0];
    private int position;
    private volatile boolean ended;

    void add(Object item) {
      if (item == END || item instanceof Throwable) ended = true;
      queue.add(item);
    }

    boolean ended() {
      return ended;
    }

    void awaitEnd() throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!ended && System.nanoTime() < deadline) Thread.sleep(5);
    }

    /** The next byte, or -1 at the end; a failure is thrown as the application's handler got it. */
    private int next() throws Exception {
      while (position == current.length) {
        Object item = queue.poll(30, TimeUnit.SECONDS);
        if (item == null) throw new IOException("no chunk within 30 s");
        if (item == END) {
          queue.add(END);
          return -1;
        }
        if (item instanceof Throwable) {
          queue.add(item);
          Throwable t = (Throwable) item;
          throw t instanceof Exception ? (Exception) t : new ExecutionException(t);
        }
        current = (byte[]) item;
        position = 0;
      }
      return current[position++] & 0xff;
    }

    byte[] readAll() throws Exception {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int b; (b = next()) != -1; ) out.write(b);
      return out.toByteArray();
    }

    byte[] readExactly(int n) throws Exception {
      byte[] out = new byte[n];
      for (int i = 0; i < n; i++) {
        int b = next();
        if (b < 0) throw new IOException("end of body after " + i + " bytes");
        out[i] = (byte) b;
      }
      return out;
    }

    String readLine() throws Exception {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = next()) != -1 && b != '\n') line.write(b);
      if (b == -1 && line.size() == 0) return null;
      String s = line.toString(StandardCharsets.UTF_8);
      return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
  }
}
