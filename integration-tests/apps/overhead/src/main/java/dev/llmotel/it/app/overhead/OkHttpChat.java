package dev.llmotel.it.app.overhead;

import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** OkHttp 4.12: {@code newCall(request).execute()}, {@code body().bytes()}; one immutable request for every call. */
final class OkHttpChat implements ChatClient {
  private final OkHttpClient client = new OkHttpClient();
  private final Request request;

  OkHttpChat(String url) {
    this(url, true);
  }

  OkHttpChat(String url, boolean authorization) {
    Request.Builder builder = new Request.Builder().url(url);
    if (authorization) builder.header("Authorization", "Bearer sk-bench");
    request = builder.post(RequestBody.create(ChatLoopApp.REQUEST, MediaType.get("application/json"))).build();
  }

  @Override
  public int call() throws Exception {
    try (Response response = client.newCall(request).execute()) {
      return response.body().bytes().length;
    }
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
