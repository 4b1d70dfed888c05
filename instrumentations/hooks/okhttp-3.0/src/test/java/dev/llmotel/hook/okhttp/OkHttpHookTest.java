package dev.llmotel.hook.okhttp;

import dev.llmotel.bootstrap.ObjectHook;
import dev.llmotel.hook.HelperLoaders;
import dev.llmotel.testkit.hook.AbstractHookTest;
import dev.llmotel.testkit.hook.HookClient;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** The hook test kit's contract, through an OkHttp client whose builder got the interceptor as the advice adds it. */
class OkHttpHookTest extends AbstractHookTest {
  @Override
  protected HookClient createClient() throws Exception {
    HelperLoaders.registerHelperPackages(OkHttpInstrumentation.HELPER_PACKAGE);
    OkHttpClient.Builder builder = new OkHttpClient.Builder().readTimeout(20, TimeUnit.SECONDS);
    ObjectHook customizer = (ObjectHook) HelperLoaders.newInstance(
        OkHttpClient.class.getClassLoader(), OkHttpInstrumentation.HELPER_PACKAGE + "BuilderCustomizer");
    customizer.apply(builder); // what the advice does at the end of the builder's constructor
    OkHttpClient client = builder.build();
    return new HookClient() {
      @Override
      public HookResponse post(URI uri, Map<String, String> headers, byte[] body) throws Exception {
        Request.Builder request = new Request.Builder().url(uri.toString());
        headers.forEach(request::header);
        MediaType type = headers.containsKey("Content-Type") ? MediaType.get(headers.get("Content-Type")) : null;
        Response response = client.newCall(request.post(RequestBody.create(body, type)).build()).execute();
        return new HookResponse() {
          @Override public int status() { return response.code(); }
          @Override public String header(String name) { return response.header(name); }
          @Override public byte[] readAll() throws Exception { return response.body().source().readByteArray(); }
          @Override public String readLine() throws Exception { return response.body().source().readUtf8Line(); }
          @Override public void close() { response.close(); }
        };
      }

      @Override
      public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
      }
    };
  }
}
