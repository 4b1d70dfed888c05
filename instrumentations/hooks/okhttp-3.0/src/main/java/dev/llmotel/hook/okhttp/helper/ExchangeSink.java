package dev.llmotel.hook.okhttp.helper;

import dev.llmotel.exchange.Exchange;
import java.io.OutputStream;

/** The OutputStream Okio's {@code Buffer.copyTo} writes into: bytes go to one side of an exchange. */
final class ExchangeSink extends OutputStream {
  private final Exchange exchange;
  private final boolean response;

  ExchangeSink(Exchange exchange, boolean response) {
    this.exchange = exchange;
    this.response = response;
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    if (response) exchange.responseBody(bytes, offset, length);
    else exchange.requestBody(bytes, offset, length);
  }
}
