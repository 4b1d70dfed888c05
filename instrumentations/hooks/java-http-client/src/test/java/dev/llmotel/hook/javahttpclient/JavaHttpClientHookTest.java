package dev.llmotel.hook.javahttpclient;

import dev.llmotel.testkit.hook.AbstractHookTest;
import dev.llmotel.testkit.hook.HookClient;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;

/**
 * The hook test kit's contract, through a real {@code HttpClient} (default configuration) with {@link JdkHttpSendHook}
 * driven the way the inlined advice does: enter (which may replace request and handler), the call, exit.
 */
class JavaHttpClientHookTest {
  @Nested
  class SendOfString extends AbstractHookTest {
    @Override
    protected HookClient createClient() {
      return new JdkClient(false, true);
    }
  }

  @Nested
  class SendOfInputStream extends AbstractHookTest {
    @Override
    protected HookClient createClient() {
      return new JdkClient(false, false);
    }
  }

  @Nested
  class SendAsyncOfString extends AbstractHookTest {
    @Override
    protected HookClient createClient() {
      return new JdkClient(true, true);
    }
  }

  @Nested
  class SendAsyncOfInputStream extends AbstractHookTest {
    @Override
    protected HookClient createClient() {
      return new JdkClient(true, false);
    }
  }

  /**
   * {@code send} or {@code sendAsync}; {@code ofString} (request {@code BodyPublishers.ofString}, response {@code
   * BodyHandlers.ofString}) or {@code ofInputStream} (request {@code ofByteArray}, response {@code ofInputStream}).
   */
  static final class JdkClient implements HookClient {
    private final HttpClient http = HttpClient.newHttpClient();
    private final JdkHttpSendHook hook = new JdkHttpSendHook();
    private final boolean async;
    private final boolean strings;

    JdkClient(boolean async, boolean strings) {
      this.async = async;
      this.strings = strings;
    }

    @Override
    public boolean streamsBody() {
      return !strings;
    }

    @Override
    public HookResponse post(URI uri, Map<String, String> headers, byte[] body) throws Exception {
      HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
      headers.forEach(builder::header);
      builder.POST(strings
          ? BodyPublishers.ofString(new String(body, StandardCharsets.UTF_8))
          : BodyPublishers.ofByteArray(body));
      BodyHandler<?> handler = strings ? BodyHandlers.ofString() : BodyHandlers.ofInputStream();
      HttpResponse<?> response = call(builder.build(), handler);
      InputStream in = strings
          ? new ByteArrayInputStream(((String) response.body()).getBytes(StandardCharsets.UTF_8))
          : (InputStream) response.body();
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      return new HookResponse() {
        @Override public int status() { return response.statusCode(); }
        @Override public String header(String name) { return response.headers().firstValue(name).orElse(null); }
        @Override public byte[] readAll() throws Exception { return in.readAllBytes(); }
        @Override public String readLine() throws Exception { return lines.readLine(); }
        @Override public byte[] readExactly(int n) throws Exception { return in.readNBytes(n); }
        @Override public void close() throws Exception { in.close(); }
      };
    }

    /** enter → the real call → exit, as the advice does (exit sees the thrown exception, or the async future). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private HttpResponse<?> call(HttpRequest request, BodyHandler<?> handler) throws Exception {
      Object[] args = {request, handler};
      Object token = hook.enter(http, args);
      if (async) {
        CompletableFuture<? extends HttpResponse<?>> future;
        try {
          future = http.sendAsync((HttpRequest) args[0], (BodyHandler) args[1]);
        } catch (Throwable t) {
          hook.exit(token, null, t);
          throw t;
        }
        hook.exit(token, future, null);
        try {
          return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
      }
      try {
        HttpResponse<?> response = http.send((HttpRequest) args[0], (BodyHandler) args[1]);
        hook.exit(token, null, null);
        return response;
      } catch (Throwable t) {
        hook.exit(token, null, t);
        throw t;
      }
    }
  }
}
