package dev.llmotel.hook.apachehttpclient.v5.helper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The application's request producer, every call forwarded. The request head it sends starts the {@link AsyncCall};
 * for an LLM call, the body bytes it writes are shown to the exchange as the client takes them from its buffers (the
 * buffers themselves are not touched).
 */
final class TeeRequestProducer implements AsyncRequestProducer {
  private final AsyncRequestProducer delegate;
  private final AsyncCall call;
  /** The client's channel of the current attempt, and our view of it: a new channel is a new attempt. */
  private DataStreamChannel channel;
  private TeeChannel tee;

  TeeRequestProducer(AsyncRequestProducer delegate, AsyncCall call) {
    this.delegate = delegate;
    this.call = call;
  }

  @Override
  public void sendRequest(final RequestChannel channel, HttpContext context) throws HttpException, IOException {
    delegate.sendRequest(new RequestChannel() {
      @Override
      public void sendRequest(HttpRequest request, EntityDetails entity, HttpContext c)
          throws HttpException, IOException {
        channel.sendRequest(call.begin(request, entity), entity, c);
      }
    }, context);
  }

  @Override
  public boolean isRepeatable() {
    return delegate.isRepeatable();
  }

  @Override
  public void failed(Exception cause) {
    try {
      call.failed(cause);
    } finally {
      delegate.failed(cause);
    }
  }

  @Override
  public int available() {
    return delegate.available();
  }

  @Override
  public void produce(DataStreamChannel channel) throws IOException {
    delegate.produce(observed(channel));
  }

  private synchronized DataStreamChannel observed(DataStreamChannel channel) {
    if (channel == null || !call.observed()) return channel;
    if (channel != this.channel) {
      this.channel = channel;
      this.tee = new TeeChannel(channel, call);
    }
    return tee;
  }

  @Override
  public void releaseResources() {
    delegate.releaseResources();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }

  /** One attempt's output channel: what the client takes from each buffer is reported, the rest forwarded. */
  static final class TeeChannel implements DataStreamChannel {
    private final DataStreamChannel delegate;
    private final AsyncCall call;
    private long written;

    TeeChannel(DataStreamChannel delegate, AsyncCall call) {
      this.delegate = delegate;
      this.call = call;
    }

    @Override
    public void requestOutput() {
      delegate.requestOutput();
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      int start = src.position();
      int n = delegate.write(src);
      int taken = src.position() - start;
      if (taken > 0) {
        ByteBuffer view = src.duplicate();
        view.position(start);
        view.limit(start + taken);
        call.requestBytes(view, written);
        written += taken;
      }
      return n;
    }

    @Override
    public void endStream(List<? extends Header> trailers) throws IOException {
      delegate.endStream(trailers);
      call.requestEnd();
    }

    @Override
    public void endStream() throws IOException {
      delegate.endStream();
      call.requestEnd();
    }
  }
}
