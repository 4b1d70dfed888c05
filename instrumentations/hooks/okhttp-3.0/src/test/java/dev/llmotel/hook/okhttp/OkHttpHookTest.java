package dev.llmotel.hook.okhttp;

import dev.llmotel.bootstrap.ObjectHook;
import dev.llmotel.hook.HelperLoaders;
import dev.llmotel.testkit.hook.AbstractHookTest;
import dev.llmotel.testkit.hook.HookClient;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The hook test kit's contract, through an OkHttp client whose builder got the interceptor as the advice adds it;
 * {@code execute()} here, {@code enqueue()} in {@link OkHttpEnqueueHookTest}.
 */
class OkHttpHookTest extends AbstractHookTest {
  /** True to send with {@code enqueue} (the callback hands the response over) instead of {@code execute}. */
  protected boolean enqueue() {
    return false;
  }

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
        Call call = client.newCall(request.post(RequestBody.create(body, type)).build());
        Response response = enqueue() ? enqueued(call) : call.execute();
        return new HookResponse() {
          @Override public int status() { return response.code(); }
          @Override public String header(String name) { return response.header(name); }
          @Override public byte[] readAll() throws Exception { return response.body().source().readByteArray(); }
          @Override public String readLine() throws Exception { return response.body().source().readUtf8Line(); }
          @Override public byte[] readExactly(int n) throws Exception {
            return response.body().source().readByteArray(n);
          }
          @Override public void close() { response.close(); }
        };
      }

      private Response enqueued(Call call) throws Exception {
        CompletableFuture<Response> result = new CompletableFuture<>();
        call.enqueue(new Callback() {
          @Override
          public void onFailure(Call c, IOException e) {
            result.completeExceptionally(e);
          }

          @Override
          public void onResponse(Call c, Response response) {
            result.complete(response);
          }
        });
        try {
          return result.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
      }

      @Override
      public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
      }
    };
  }
}
