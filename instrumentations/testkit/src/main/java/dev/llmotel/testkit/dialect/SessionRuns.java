package dev.llmotel.testkit.dialect;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.HeaderLookup;
import java.nio.charset.StandardCharsets;

/**
 * Drives one open dialect session through a hand-written exchange, the way the agent and the recordings' replay do:
 * bodies in pieces of a chosen size, each in a buffer of its own that is overwritten once fed, no more response bytes
 * after the protocol's end marker, and a session that throws fails the test (though {@code DialectCall} would hide it).
 * For a dialect's unit tests of cases no recording shows.
 */
public final class SessionRuns {
  private SessionRuns() {}

  /**
   * @param contentType the response's Content-Type header, or null for none
   * @param complete the application read the body to its end (false: it closed it early)
   */
  public static CallFacts run(DialectSession session, String requestBody, int status, String contentType,
      String responseBody, int pieceSize, boolean complete) {
    HeaderLookup headers = name -> name.equalsIgnoreCase("content-type") ? contentType : null;
    return run(session, requestBody.getBytes(StandardCharsets.UTF_8), status, headers,
        responseBody.getBytes(StandardCharsets.UTF_8), pieceSize, complete);
  }

  public static CallFacts run(DialectSession session, byte[] requestBody, int status, HeaderLookup headers,
      byte[] responseBody, int pieceSize, boolean complete) {
    return Replay.drive(session, requestBody, Replay.every(pieceSize, requestBody.length), status, headers,
        responseBody, Replay.every(pieceSize, responseBody.length), complete);
  }
}
