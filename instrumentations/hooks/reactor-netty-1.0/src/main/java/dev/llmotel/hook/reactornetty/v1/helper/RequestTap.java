package dev.llmotel.hook.reactornetty.v1.helper;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Map;

/**
 * On one connection's pipeline for one request of an exchange: adds the trace context header to the request head
 * unless the application set it, and copies the body's bytes as they are written (read through the buffer's own
 * indices, which stay untouched; the message is passed on as it came). Removes itself once the request's last content
 * is written, so nothing of it stays on a pooled connection. Once its exchange ended or got its response it only
 * passes messages on.
 */
final class RequestTap extends ChannelOutboundHandlerAdapter {
  /**
   * Named as one of Reactor Netty's codecs ({@code reactor.left.*}): handlers Reactor Netty adds later "after the
   * codecs" (the chunked writer a form needs) then go above it, so it still sees what they turn into HTTP content.
   */
  static final String NAME = "reactor.left.llmotelRequestTap";

  private final ReactorExchange exchange;

  RequestTap(ReactorExchange exchange) {
    this.exchange = exchange;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    boolean last = false;
    try {
      last = observe(msg);
    } catch (Throwable ignored) {
      // the message goes out as it came
    }
    ctx.write(msg, promise);
    if (last) {
      try {
        ctx.pipeline().remove(this);
      } catch (Throwable ignored) {
        // already gone with its connection
      }
    }
  }

  /** @return true when the request's last content went by */
  private boolean observe(Object msg) {
    if (msg instanceof HttpRequest && exchange.acceptsRequest()) {
      HttpHeaders headers = ((HttpRequest) msg).headers();
      exchange.requestWritten(headers);
      for (Map.Entry<String, String> h : exchange.propagationHeaders().entrySet()) {
        if (!headers.contains(h.getKey())) headers.set(h.getKey(), h.getValue());
      }
    }
    if (msg instanceof HttpContent) {
      exchange.requestBody(((HttpContent) msg).content());
    } else if (msg instanceof ByteBuf) {
      exchange.requestBody((ByteBuf) msg);
    }
    if (msg instanceof LastHttpContent) {
      exchange.requestBodyEnd();
      return true;
    }
    return false;
  }
}
