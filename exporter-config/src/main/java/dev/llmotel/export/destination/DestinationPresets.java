package dev.llmotel.export.destination;

import dev.llmotel.config.SafeUrls;
import dev.llmotel.export.EnvironmentSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenObserve, Langfuse and Opik from the variables their own integration guides name. A preset is configured as
 * soon as one of its variables is set; a preset with a missing or malformed variable is skipped with one problem line
 * naming that variable, and the other destinations still work.
 */
public final class DestinationPresets {
  static final String LANGFUSE_CLOUD = "https://cloud.langfuse.com";
  static final String OPIK_CLOUD = "https://www.comet.com/opik/api";
  static final String LANGFUSE_INGESTION_VERSION_HEADER = "x-langfuse-ingestion-version";
  static final String LANGFUSE_INGESTION_VERSION = "4";

  private DestinationPresets() {}

  /** The configured presets; problems (one line each, naming the variable) are added to {@code problems}. */
  public static List<Destination> fromEnvironment(EnvironmentSource env, List<String> problems) {
    List<Destination> out = new ArrayList<>();
    add(out, openObserve(env, problems));
    add(out, langfuse(env, problems));
    add(out, opik(env, problems));
    return out;
  }

  private static void add(List<Destination> out, Destination d) {
    if (d != null) out.add(d);
  }

  static Destination openObserve(EnvironmentSource env, List<String> problems) {
    String url = env.get("OPENOBSERVE_URL");
    String token = env.get("OPENOBSERVE_AUTH_TOKEN");
    if (url == null && token == null && env.get("OPENOBSERVE_ORG") == null) return null;
    String base = baseUrl("OPENOBSERVE_URL", url, null, problems);
    if (base == null) return null;
    if (token == null) {
      problems.add("OpenObserve: OPENOBSERVE_AUTH_TOKEN is not set (expected \"Basic <base64 of email:token>\"); "
          + "not sending to OpenObserve");
      return null;
    }
    String org = env.get("OPENOBSERVE_ORG");
    if (org == null) org = "default";
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", token.contains(" ") ? token : "Basic " + token);
    String stream = env.get("OPENOBSERVE_STREAM_NAME");
    if (stream != null) headers.put("stream-name", stream);
    String api = base + "/api/" + org;
    if (!validEndpoint("OpenObserve", "OPENOBSERVE_URL / OPENOBSERVE_ORG", api + "/v1/traces", problems)) return null;
    return new Destination("openobserve", api + "/v1/traces", api + "/v1/metrics", headers, SpanView.IDENTITY);
  }

  static Destination langfuse(EnvironmentSource env, List<String> problems) {
    String pk = env.get("LANGFUSE_PUBLIC_KEY");
    String sk = env.get("LANGFUSE_SECRET_KEY");
    String hostVar = env.get("LANGFUSE_HOST") != null ? "LANGFUSE_HOST" : "LANGFUSE_BASE_URL";
    String host = env.get(hostVar);
    if (pk == null && sk == null) {
      if (host != null) problems.add("Langfuse: " + hostVar + " is set but LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY "
          + "are not; not sending to Langfuse");
      return null;
    }
    if (pk == null || sk == null) {
      problems.add("Langfuse: " + (pk == null ? "LANGFUSE_PUBLIC_KEY" : "LANGFUSE_SECRET_KEY")
          + " is not set (both keys are needed); not sending to Langfuse");
      return null;
    }
    String base = baseUrl(hostVar, host, LANGFUSE_CLOUD, problems);
    if (base == null) return null;
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
        (pk + ":" + sk).getBytes(StandardCharsets.UTF_8)));
    // The newest ingestion version Langfuse's OTLP endpoint accepts (it answers 400 above it; servers that predate
    // the header ignore it): spans are written by its current ingestion path.
    headers.put(LANGFUSE_INGESTION_VERSION_HEADER, LANGFUSE_INGESTION_VERSION);
    if (!validEndpoint("Langfuse", hostVar, base + "/api/public/otel/v1/traces", problems)) return null;
    return new Destination("langfuse", base + "/api/public/otel/v1/traces", null, headers, new LangfuseView());
  }

  static Destination opik(EnvironmentSource env, List<String> problems) {
    String override = env.get("OPIK_URL_OVERRIDE");
    String key = env.get("OPIK_API_KEY");
    if (override == null && key == null) return null;
    String base = baseUrl("OPIK_URL_OVERRIDE", override, OPIK_CLOUD, problems);
    if (base == null) return null;
    String workspace = env.get("OPIK_WORKSPACE");
    if (override == null && workspace == null) {
      problems.add("Opik: OPIK_WORKSPACE is not set (Opik Cloud needs it); not sending to Opik");
      return null;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (key != null) headers.put("Authorization", key);
    if (workspace != null) headers.put("Comet-Workspace", workspace);
    String project = env.get("OPIK_PROJECT_NAME");
    headers.put("projectName", project == null ? "Default Project" : project);
    if (!validEndpoint("Opik", "OPIK_URL_OVERRIDE", base + "/v1/private/otel/v1/traces", problems)) return null;
    return new Destination("opik", base + "/v1/private/otel/v1/traces", null, headers, new OpikView());
  }

  /** The URL without trailing slashes, or the default; null (with a problem line) when it has no http(s) scheme. */
  static String baseUrl(String variable, String value, String defaultValue, List<String> problems) {
    String url = value == null ? defaultValue : value;
    if (url == null) {
      problems.add(variable + " is not set");
      return null;
    }
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      problems.add(variable + "=" + SafeUrls.redact(url) + " has no http:// or https:// scheme; not sending there");
      return null;
    }
    while (url.endsWith("/")) url = url.substring(0, url.length() - 1);
    return url;
  }

  /**
   * Whether {@code endpoint} is a URL the exporter takes (it parses as a URI, as the SDK checks, and names a host):
   * one that does not (a space in OPENOBSERVE_ORG, an unexpanded {@code ${..}}, {@code http://} alone) would make the
   * SDK refuse its whole configuration, every other destination with it; so it is a problem line naming the
   * variables instead, and this destination is skipped.
   */
  static boolean validEndpoint(String backend, String variables, String endpoint, List<String> problems) {
    try {
      URI uri = new URI(endpoint);
      if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) return true;
    } catch (URISyntaxException e) {
      // reported below
    }
    problems.add(backend + ": " + variables + " make " + SafeUrls.redact(endpoint) + ", which is not a valid URL; not "
        + "sending to " + backend);
    return false;
  }
}
