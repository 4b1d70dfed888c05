package dev.llmotel.hook.apachehttpclient.v5.helper;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.config.Configurable;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.ProtocolVersion;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.net.URIAuthority;

/**
 * The application's async request head as the client gets it: the application's own object behind every read and
 * write, plus the trace context header(s) it did not set. The async clients keep and use the head after {@code
 * doExecute} returns (the minimal ones send this very object from the I/O reactor, after their interceptors added to
 * it), so the header cannot be added to the application's object and taken back later; and a copy would not receive
 * what the client writes into the application's object. Also {@link Configurable}, so a per-request {@code
 * RequestConfig} still applies.
 */
final class PropagatedRequest implements HttpRequest, Configurable {
  private final HttpRequest delegate;
  /** Our headers; dropped once the client sets or removes a header of the same name itself. */
  private final List<Header> extra;

  PropagatedRequest(HttpRequest delegate, Map<String, String> headers) {
    this.delegate = delegate;
    this.extra = new ArrayList<Header>(headers.size());
    for (Map.Entry<String, String> h : headers.entrySet()) extra.add(new BasicHeader(h.getKey(), h.getValue()));
  }

  @Override
  public RequestConfig getConfig() {
    return delegate instanceof Configurable ? ((Configurable) delegate).getConfig() : null;
  }

  // --- the request line: the application's ---

  @Override public String getMethod() { return delegate.getMethod(); }
  @Override public String getPath() { return delegate.getPath(); }
  @Override public void setPath(String path) { delegate.setPath(path); }
  @Override public String getScheme() { return delegate.getScheme(); }
  @Override public void setScheme(String scheme) { delegate.setScheme(scheme); }
  @Override public URIAuthority getAuthority() { return delegate.getAuthority(); }
  @Override public void setAuthority(URIAuthority authority) { delegate.setAuthority(authority); }
  @Override public String getRequestUri() { return delegate.getRequestUri(); }
  @Override public URI getUri() throws URISyntaxException { return delegate.getUri(); }
  @Override public void setUri(URI requestUri) { delegate.setUri(requestUri); }
  @Override public void setVersion(ProtocolVersion version) { delegate.setVersion(version); }
  @Override public ProtocolVersion getVersion() { return delegate.getVersion(); }

  // --- headers: the application's, then ours ---

  private synchronized List<Header> extra(String name) {
    List<Header> found = null;
    for (Header h : extra) {
      if (h.getName().equalsIgnoreCase(name)) {
        if (found == null) found = new ArrayList<Header>(1);
        found.add(h);
      }
    }
    return found;
  }

  private synchronized void drop(String name) {
    for (Iterator<Header> it = extra.iterator(); it.hasNext(); ) {
      if (it.next().getName().equalsIgnoreCase(name)) it.remove();
    }
  }

  @Override
  public boolean containsHeader(String name) {
    return delegate.containsHeader(name) || extra(name) != null;
  }

  @Override
  public int countHeaders(String name) {
    List<Header> ours = extra(name);
    return delegate.countHeaders(name) + (ours == null ? 0 : ours.size());
  }

  @Override
  public Header getFirstHeader(String name) {
    Header h = delegate.getFirstHeader(name);
    if (h != null) return h;
    List<Header> ours = extra(name);
    return ours == null ? null : ours.get(0);
  }

  @Override
  public Header getHeader(String name) throws ProtocolException {
    List<Header> ours = extra(name);
    if (ours == null) return delegate.getHeader(name);
    if (ours.size() == 1 && !delegate.containsHeader(name)) return ours.get(0);
    throw new ProtocolException("multiple '" + name + "' headers found");
  }

  @Override
  public Header[] getHeaders() {
    Header[] own = delegate.getHeaders();
    synchronized (this) {
      if (extra.isEmpty()) return own;
      Header[] all = Arrays.copyOf(own, own.length + extra.size());
      for (int i = 0; i < extra.size(); i++) all[own.length + i] = extra.get(i);
      return all;
    }
  }

  @Override
  public Header[] getHeaders(String name) {
    Header[] own = delegate.getHeaders(name);
    List<Header> ours = extra(name);
    if (ours == null) return own;
    Header[] all = Arrays.copyOf(own, own.length + ours.size());
    for (int i = 0; i < ours.size(); i++) all[own.length + i] = ours.get(i);
    return all;
  }

  @Override
  public Header getLastHeader(String name) {
    List<Header> ours = extra(name);
    return ours != null ? ours.get(ours.size() - 1) : delegate.getLastHeader(name);
  }

  @Override
  public Iterator<Header> headerIterator() {
    return Arrays.asList(getHeaders()).iterator();
  }

  @Override
  public Iterator<Header> headerIterator(String name) {
    return Arrays.asList(getHeaders(name)).iterator();
  }

  @Override public void addHeader(Header header) { delegate.addHeader(header); }
  @Override public void addHeader(String name, Object value) { delegate.addHeader(name, value); }

  @Override
  public void setHeader(Header header) {
    drop(header.getName());
    delegate.setHeader(header);
  }

  @Override
  public void setHeader(String name, Object value) {
    drop(name);
    delegate.setHeader(name, value);
  }

  @Override
  public void setHeaders(Header... headers) {
    synchronized (this) {
      extra.clear();
    }
    delegate.setHeaders(headers);
  }

  @Override
  public boolean removeHeader(Header header) {
    synchronized (this) {
      if (extra.remove(header)) return true;
    }
    return delegate.removeHeader(header);
  }

  @Override
  public boolean removeHeaders(String name) {
    boolean ours = extra(name) != null;
    drop(name);
    return delegate.removeHeaders(name) || ours;
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
