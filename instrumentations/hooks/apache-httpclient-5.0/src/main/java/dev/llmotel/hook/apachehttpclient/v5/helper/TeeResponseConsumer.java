package dev.llmotel.hook.apachehttpclient.v5.helper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The application's response consumer, every call forwarded with the same arguments. The {@link AsyncCall} sees the
 * response head, each body buffer just before the consumer gets it (the consumer must take all of it; the buffer's
 * position and limit are left alone), the end of the stream, a failure, and the release of the consumer.
 */
final class TeeResponseConsumer<T> implements AsyncResponseConsumer<T> {
  private final AsyncResponseConsumer<T> delegate;
  private final AsyncCall call;

  TeeResponseConsumer(AsyncResponseConsumer<T> delegate, AsyncCall call) {
    this.delegate = delegate;
    this.call = call;
  }

  @Override
  public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context,
      FutureCallback<T> resultCallback) throws HttpException, IOException {
    call.response(response, entity);
    delegate.consumeResponse(response, entity, context, resultCallback);
  }

  @Override
  public void informationResponse(HttpResponse response, HttpContext context) throws HttpException, IOException {
    delegate.informationResponse(response, context);
  }

  @Override
  public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
    delegate.updateCapacity(capacityChannel);
  }

  @Override
  public void consume(ByteBuffer src) throws IOException {
    call.responseBytes(src);
    delegate.consume(src);
  }

  @Override
  public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
    call.responseEnd();
    delegate.streamEnd(trailers);
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
  public void releaseResources() {
    try {
      delegate.releaseResources();
    } finally {
      call.released();
    }
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
