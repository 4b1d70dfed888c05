package dev.llmotel.it.app.overhead;

import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

/** Apache HttpClient 4.5: {@code execute(post)}, the entity read with {@code EntityUtils}, the response closed. */
final class ApacheHttpClient4Chat implements ChatClient {
  private final CloseableHttpClient client = HttpClients.createDefault();
  private final String url;

  ApacheHttpClient4Chat(String url) {
    this.url = url;
  }

  @Override
  public int call() throws Exception {
    HttpPost post = new HttpPost(url);
    post.setHeader("Authorization", "Bearer sk-bench");
    post.setEntity(new StringEntity(ChatLoopApp.REQUEST, ContentType.APPLICATION_JSON));
    try (CloseableHttpResponse response = client.execute(post)) {
      return EntityUtils.toByteArray(response.getEntity()).length;
    }
  }

  @Override
  public void close() throws Exception {
    client.close();
  }
}
