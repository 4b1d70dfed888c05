package dev.llmotel.hook.apachehttpclient.v5;

import dev.llmotel.testkit.hook.AbstractHookTest;
import dev.llmotel.testkit.hook.HookClient;
import java.net.URI;
import java.util.Map;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.junit.jupiter.api.Assumptions;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * The hook test kit's contract through Spring's {@code RestClient} on {@code HttpComponentsClientHttpRequestFactory}
 * (Spring 6.2; the factory calls the classic client's {@code executeOpen}, i.e. the woven {@code doExecute}). The
 * application reads the body whole inside {@code exchange}, as {@code retrieve()} does; closing a Spring response
 * drains the rest of the body, so a stream cannot be abandoned early through this API. Runs on the newest HttpClient
 * only (Spring 6.2 needs 5.1+).
 */
class RestClientHookTest extends AbstractHookTest {
  @Override
  protected HookClient createClient() throws Exception {
    Assumptions.assumeFalse(String.valueOf(System.getProperty("hc5.expected.version")).startsWith("5.0."),
        "Spring 6.2's request factory needs HttpClient 5.1+");
    WovenClients.install();
    CloseableHttpClient http = HttpClients.custom().setDefaultRequestConfig(ClassicHookTest.TIMEOUTS)
        .disableAutomaticRetries().build();
    RestClient rest = RestClient.builder().requestFactory(new HttpComponentsClientHttpRequestFactory(http)).build();
    return new HookClient() {
      @Override
      public boolean streamsBody() {
        return false;
      }

      @Override
      public Class<? extends Throwable> transportException() {
        return ResourceAccessException.class;
      }

      @Override
      public HookResponse post(URI uri, Map<String, String> headers, byte[] body) {
        return rest.post().uri(uri).headers(h -> headers.forEach(h::set)).body(body)
            .exchange((request, response) -> new WholeBody(response.getStatusCode().value(),
                name -> response.getHeaders().getFirst(name), response.getBody().readAllBytes()));
      }

      @Override
      public void close() throws Exception {
        http.close();
      }
    };
  }
}
