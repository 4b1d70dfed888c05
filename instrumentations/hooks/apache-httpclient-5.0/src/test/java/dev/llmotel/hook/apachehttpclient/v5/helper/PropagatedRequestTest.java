package dev.llmotel.hook.apachehttpclient.v5.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.config.Configurable;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.net.URIAuthority;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;

/** The async request head the client gets: the application's object plus our header, read and written through. */
class PropagatedRequestTest {
  private static final Map<String, String> TRACE = Map.of("traceparent", "00-aa-bb-01");

  @Test
  void readsShowTheApplicationsHeadersThenOurs() {
    BasicHttpRequest app = new BasicHttpRequest("POST", "/v1/chat/completions?x=1");
    app.addHeader("Authorization", "Bearer k");
    PropagatedRequest request = new PropagatedRequest(app, TRACE);

    assertTrue(request.containsHeader("TraceParent"));
    assertEquals(1, request.countHeaders("traceparent"));
    assertEquals("00-aa-bb-01", request.getFirstHeader("traceparent").getValue());
    assertEquals("00-aa-bb-01", request.getLastHeader("TRACEPARENT").getValue());
    assertEquals(2, request.getHeaders().length);
    assertEquals("Authorization", request.getHeaders()[0].getName());
    List<String> names = new ArrayList<>();
    request.headerIterator().forEachRemaining(h -> names.add(h.getName()));
    assertEquals(List.of("Authorization", "traceparent"), names);
    assertEquals("/v1/chat/completions?x=1", request.getPath());
    assertFalse(app.containsHeader("traceparent"), "the application's object never gets our header");
  }

  @Test
  void writesReachTheApplicationsObject() {
    BasicHttpRequest app = new BasicHttpRequest("POST", "/p");
    PropagatedRequest request = new PropagatedRequest(app, TRACE);
    request.setScheme("https");
    request.setAuthority(new URIAuthority("api.example.com", 443));
    request.addHeader("Host", "api.example.com");

    assertEquals("https", app.getScheme());
    assertEquals("api.example.com", app.getAuthority().getHostName());
    assertEquals("api.example.com", app.getFirstHeader("Host").getValue());
    request.setHeader("traceparent", "00-cc-dd-01"); // the client's own value wins
    assertEquals(1, request.countHeaders("traceparent"));
    assertEquals("00-cc-dd-01", request.getFirstHeader("traceparent").getValue());
    assertTrue(request.removeHeaders("traceparent"));
    assertNull(request.getFirstHeader("traceparent"));
  }

  @Test
  void aPerRequestConfigStillApplies() {
    SimpleHttpRequest app = new SimpleHttpRequest("POST", "/p");
    RequestConfig config = RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(3)).build();
    app.setConfig(config);
    Object request = new PropagatedRequest(app, TRACE);
    assertTrue(request instanceof Configurable);
    assertSame(config, ((Configurable) request).getConfig());
    assertNull(new PropagatedRequest(new BasicHttpRequest("GET", "/"), TRACE).getConfig());
  }

  @Test
  void getHeaderIsOursUnlessTheApplicationHasOneToo() throws Exception {
    BasicHttpRequest app = new BasicHttpRequest("POST", "/p");
    PropagatedRequest request = new PropagatedRequest(app, TRACE);
    Header h = request.getHeader("traceparent");
    assertEquals("00-aa-bb-01", h.getValue());
  }
}
