package dev.llmotel.hook.okhttp.helper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.testkit.hook.RecordedExchange;
import dev.llmotel.testkit.hook.RecordedExchange.Kind;
import dev.llmotel.testkit.hook.RecordingExchangeFactory;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.Buffer;
import okio.ForwardingSink;
import okio.Okio;
import org.junit.jupiter.api.Test;

/** A body OkHttp writes more than once (retry after a broken write, follow-up) reaches the exchange once. */
class TeeRequestBodyTest {
  @Test
  void aRetryAfterAWriteBrokeHalfwayReportsTheRestOnly() throws IOException {
    byte[] body = new byte[20_000];
    new Random(3).nextBytes(body);
    RecordedExchange exchange = (RecordedExchange) new RecordingExchangeFactory()
        .begin(new ExchangeRequest("POST", "http", "localhost", 80, "/v1/chat/completions", null, null));
    TeeRequestBody tee = new TeeRequestBody(RequestBody.create(body, MediaType.get("application/json")), exchange);

    Buffer firstAttempt = new Buffer();
    assertThrows(IOException.class, () -> tee.writeTo(Okio.buffer(new ForwardingSink(firstAttempt) {
      @Override
      public void write(Buffer source, long byteCount) throws IOException {
        throw new IOException("broken pipe");
      }
    })));
    Buffer secondAttempt = new Buffer();
    tee.writeTo(secondAttempt);
    Buffer thirdAttempt = new Buffer();
    tee.writeTo(thirdAttempt);

    assertArrayEquals(body, secondAttempt.readByteArray());
    assertArrayEquals(body, thirdAttempt.readByteArray());
    assertArrayEquals(body, exchange.requestBody().bytes());
    assertEquals(List.of(Kind.REQUEST_BODY, Kind.REQUEST_BODY_END), exchange.events());
  }
}
