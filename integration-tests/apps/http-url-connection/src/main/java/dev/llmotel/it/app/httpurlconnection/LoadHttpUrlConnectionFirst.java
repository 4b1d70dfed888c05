package dev.llmotel.it.app.httpurlconnection;

import java.lang.instrument.Instrumentation;
import java.net.URI;
import java.net.URLConnection;

/**
 * A {@code -javaagent} that runs before the LLM agent (given in {@code JAVA_TOOL_OPTIONS}) and only opens, without
 * connecting, an {@code http:} connection: the JDK's {@code sun.net.www.protocol.http.HttpURLConnection} is then
 * loaded before the LLM agent starts, as it is when another agent or the JVM's own start-up used it first, and the
 * LLM agent must retransform it.
 */
public final class LoadHttpUrlConnectionFirst {
  private LoadHttpUrlConnectionFirst() {}

  public static void premain(String args, Instrumentation inst) throws Exception {
    URLConnection connection = URI.create("http://127.0.0.1:9/").toURL().openConnection();
    System.err.println("loaded before the agent: " + connection.getClass().getName());
  }
}
