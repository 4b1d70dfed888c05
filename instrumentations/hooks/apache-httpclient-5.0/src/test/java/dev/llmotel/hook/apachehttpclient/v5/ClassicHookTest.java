package dev.llmotel.hook.apachehttpclient.v5;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmotel.testkit.hook.AbstractHookTest;
import dev.llmotel.testkit.hook.HookClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Nested;

/**
 * The hook test kit's contract through the real classic clients, their {@code doExecute} woven with the hook's advice
 * ({@link WovenClients}): {@code HttpClients.custom()} ({@code InternalHttpClient}), {@code createMinimal()} ({@code
 * MinimalHttpClient}), and the {@code execute(request, HttpClientResponseHandler)} overload (the client reads the
 * body through the handler and closes the response itself).
 */
class ClassicHookTest {
  static final RequestConfig TIMEOUTS = RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(20)).build();

  @Nested
  class Internal extends AbstractHookTest {
    @Override
    protected HookClient createClient() throws Exception {
      WovenClients.install();
      CloseableHttpClient client = HttpClients.custom().setDefaultRequestConfig(TIMEOUTS).build();
      assertEquals("InternalHttpClient", client.getClass().getSimpleName());
      return new Streamed(client);
    }
  }

  @Nested
  class Minimal extends AbstractHookTest {
    @Override
    protected HookClient createClient() throws Exception {
      WovenClients.install();
      CloseableHttpClient client = HttpClients.createMinimal();
      assertEquals("MinimalHttpClient", client.getClass().getSimpleName());
      return new Streamed(client);
    }
  }

  @Nested
  class WithResponseHandler extends AbstractHookTest {
    @Override
    protected HookClient createClient() throws Exception {
      WovenClients.install();
      // no retries here: Internal already shows one exchange across the client's retry of the 429 (Retry-After: 7)
      return new Handled(HttpClients.custom().setDefaultRequestConfig(TIMEOUTS).disableAutomaticRetries().build());
    }
  }

  static HttpPost post(URI uri, Map<String, String> headers, byte[] body) {
    HttpPost post = new HttpPost(uri);
    post.setConfig(TIMEOUTS);
    headers.forEach(post::setHeader);
    post.setEntity(new ByteArrayEntity(body, null));
    return post;
  }

  /** {@code execute(request)}: the application holds the response and reads its entity's stream. */
  static final class Streamed implements HookClient {
    private final CloseableHttpClient client;

    Streamed(CloseableHttpClient client) {
      this.client = client;
    }

    @Override
    @SuppressWarnings("deprecation")
    public HookResponse post(URI uri, Map<String, String> headers, byte[] body) throws Exception {
      HttpPost post = ClassicHookTest.post(uri, headers, body);
      CloseableHttpResponse response = client.execute(post);
      return new HookResponse() {
        private InputStream in;
        private boolean atEnd;

        private InputStream in() throws IOException {
          if (in == null) in = response.getEntity().getContent();
          return in;
        }

        @Override public int status() { return response.getCode(); }

        @Override public String header(String name) {
          Header h = response.getFirstHeader(name);
          return h == null ? null : h.getValue();
        }

        @Override public byte[] readAll() throws Exception {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          byte[] buf = new byte[8192];
          for (int n; (n = in().read(buf)) != -1; ) out.write(buf, 0, n);
          atEnd = true;
          return out.toByteArray();
        }

        @Override public byte[] readExactly(int n) throws Exception {
          byte[] out = new byte[n];
          int got = 0;
          while (got < n) {
            int r = in().read(out, got, n - got);
            if (r < 0) throw new IOException("end of body after " + got + " bytes");
            got += r;
          }
          atEnd = true; // a body of known length, read to its length
          return out;
        }

        @Override public String readLine() throws Exception {
          ByteArrayOutputStream line = new ByteArrayOutputStream();
          int b;
          while ((b = in().read()) != -1 && b != '\n') line.write(b);
          if (b == -1) atEnd = true;
          if (b == -1 && line.size() == 0) return null;
          String s = line.toString(StandardCharsets.UTF_8);
          return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        /**
         * Closing mid-body: HttpClient 5 would drain the rest on close (here: wait for the server's held event), so
         * an application that gives up on a stream cancels the request first, as HttpClient 5 has it.
         */
        @Override public void close() throws IOException {
          if (!atEnd) post.cancel();
          try {
            response.close();
          } catch (IOException e) {
            if (atEnd) throw e; // after a cancel the close may fail; the application expects that
          }
        }
      };
    }

    @Override
    public void close() throws IOException {
      client.close();
    }
  }

  /** {@code execute(request, handler)}: the handler reads the whole entity; the client closes the response. */
  static final class Handled implements HookClient {
    private final CloseableHttpClient client;

    Handled(CloseableHttpClient client) {
      this.client = client;
    }

    @Override
    public boolean streamsBody() {
      return false;
    }

    @Override
    public HookResponse post(URI uri, Map<String, String> headers, byte[] body) throws Exception {
      Object[] got = client.execute(ClassicHookTest.post(uri, headers, body), response -> {
        HttpEntity entity = response.getEntity();
        return new Object[] {response.getCode(), response.getHeaders(), EntityUtils.toByteArray(entity)};
      });
      int status = (Integer) got[0];
      Header[] responseHeaders = (Header[]) got[1];
      return new WholeBody(status, name -> Arrays.stream(responseHeaders)
          .filter(h -> h.getName().equalsIgnoreCase(name)).map(Header::getValue).findFirst().orElse(null),
          (byte[]) got[2]);
    }

    @Override
    public void close() throws IOException {
      client.close();
    }
  }
}
