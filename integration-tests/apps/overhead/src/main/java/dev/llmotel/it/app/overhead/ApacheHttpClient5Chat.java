package dev.llmotel.it.app.overhead;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/** Apache HttpClient 5 classic: {@code execute(post, handler)} reading the entity with {@code EntityUtils}. */
final class ApacheHttpClient5Chat implements ChatClient {
  private final CloseableHttpClient client = HttpClients.createDefault();
  private final String url;

  ApacheHttpClient5Chat(String url) {
    this.url = url;
  }

  @Override
  public int call() throws Exception {
    HttpPost post = new HttpPost(url);
    post.setHeader("Authorization", "Bearer sk-bench");
    post.setEntity(new StringEntity(ChatLoopApp.REQUEST, ContentType.APPLICATION_JSON));
    return client.execute(post, response -> EntityUtils.toByteArray(response.getEntity()).length);
  }

  @Override
  public void close() throws Exception {
    client.close();
  }
}
