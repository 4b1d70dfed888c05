package dev.llmotel.testkit.hook;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * What a hook module implements for {@link AbstractHookTest}: one HTTP client with its hook active, used the way an
 * application uses it. Everything an application would see must come straight from the client's own API.
 */
public interface HookClient extends AutoCloseable {
  /**
   * POSTs {@code body} with these request headers, through the hooked client.
   *
   * @return the response once the client hands it to the application (status and headers known, body unread)
   * @throws Exception exactly what the application would catch; only an async API's envelope ({@code
   *     ExecutionException}, {@code CompletionException}) is unwrapped to its cause
   */
  HookResponse post(URI uri, Map<String, String> headers, byte[] body) throws Exception;

  /**
   * False when the application gets the body only once it is complete (e.g. {@code BodyHandlers.ofString()}): then
   * {@link #post} returns only after the whole body, and the tests that need a body read in pieces are skipped.
   */
  default boolean streamsBody() {
    return true;
  }

  /** The class (or superclass) of the exception the application gets when the connection breaks. */
  default Class<? extends Throwable> transportException() {
    return IOException.class;
  }

  @Override
  default void close() throws Exception {}

  /** A response as the application holds it. */
  interface HookResponse extends AutoCloseable {
    int status();

    /** A response header through the client's own API, or null. */
    String header(String name);

    /** Reads the rest of the body to its end (does not close). */
    byte[] readAll() throws Exception;

    /**
     * Reads exactly {@code n} bytes of the body, as a parser that knows the body's length does, never asking for
     * more (so the client may not see the end of the stream before the body is closed).
     */
    byte[] readExactly(int n) throws Exception;

    /** The next line of the body (UTF-8, without its terminator), or null at the end. */
    String readLine() throws Exception;

    /** Closes the body, read or not; may be called more than once. */
    @Override
    void close() throws Exception;
  }
}
