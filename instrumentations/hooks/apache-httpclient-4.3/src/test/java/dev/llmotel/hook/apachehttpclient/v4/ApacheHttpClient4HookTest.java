package dev.llmotel.hook.apachehttpclient.v4;

import dev.llmotel.bootstrap.CallHook;
import dev.llmotel.hook.HelperLoaders;
import dev.llmotel.testkit.hook.AbstractHookTest;
import dev.llmotel.testkit.hook.HookClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.client.ClientProtocolException;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.conn.ClientConnectionManager;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.params.HttpParams;
import org.apache.http.protocol.HttpContext;

/**
 * The hook test kit's contract through a real Apache HttpClient 4.5 ({@code HttpClients.custom()}, i.e.
 * {@code InternalHttpClient}) with the hook's helper called around {@code doExecute} exactly as the inlined advice
 * calls it: enter with (target, request, context), exit with the response in a one-element array that the helper may
 * replace.
 */
@SuppressWarnings("deprecation")
class ApacheHttpClient4HookTest extends AbstractHookTest {
  @Override
  protected HookClient createClient() throws Exception {
    HelperLoaders.registerHelperPackages(ApacheHttpClient4Instrumentation.HELPER_PACKAGE);
    CallHook hook = (CallHook) HelperLoaders.newInstance(CloseableHttpClient.class.getClassLoader(),
        ApacheHttpClient4Instrumentation.HELPER_PACKAGE + "ExecuteHook");
    CloseableHttpClient real = HttpClients.custom()
        .setDefaultRequestConfig(RequestConfig.custom().setSocketTimeout(20_000).build()).build();
    return client(new AdvisedClient(real, hook));
  }

  static HookClient client(CloseableHttpClient client) {
    return new HookClient() {
      @Override
      public HookResponse post(URI uri, Map<String, String> headers, byte[] body) throws Exception {
        HttpPost post = new HttpPost(uri);
        headers.forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(body));
        CloseableHttpResponse response = client.execute(post);
        return new HookResponse() {
          private InputStream in;

          private InputStream in() throws IOException {
            if (in == null) in = response.getEntity().getContent();
            return in;
          }

          @Override public int status() { return response.getStatusLine().getStatusCode(); }

          @Override public String header(String name) {
            Header h = response.getFirstHeader(name);
            return h == null ? null : h.getValue();
          }

          @Override public byte[] readAll() throws Exception {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in().read(buf)) != -1; ) out.write(buf, 0, n);
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
            return out;
          }

          @Override public String readLine() throws Exception {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in().read()) != -1 && b != '\n') line.write(b);
            if (b == -1 && line.size() == 0) return null;
            String s = line.toString(StandardCharsets.UTF_8.name());
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
          }

          @Override public void close() throws IOException { response.close(); }
        };
      }

      @Override
      public void close() throws IOException {
        client.close();
      }
    };
  }

  /** What the woven advice does around {@code doExecute}, for a client whose class is not woven. */
  static final class AdvisedClient extends CloseableHttpClient {
    private final CloseableHttpClient delegate;
    private final CallHook hook;

    AdvisedClient(CloseableHttpClient delegate, CallHook hook) {
      this.delegate = delegate;
      this.hook = hook;
    }

    @Override
    protected CloseableHttpResponse doExecute(HttpHost target, HttpRequest request, HttpContext context)
        throws IOException, ClientProtocolException {
      Object token = hook.enter(delegate, new Object[] {target, request, context});
      CloseableHttpResponse response;
      try {
        response = delegate.execute(target, request, context);
      } catch (Throwable t) {
        if (token != null) hook.exit(token, new Object[] {null}, t);
        throw t;
      }
      if (token == null) return response;
      Object[] box = {response};
      hook.exit(token, box, null);
      return (CloseableHttpResponse) box[0];
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }

    @Override
    public HttpParams getParams() {
      return delegate.getParams();
    }

    @Override
    public ClientConnectionManager getConnectionManager() {
      return delegate.getConnectionManager();
    }
  }
}
