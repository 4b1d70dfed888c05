package dev.llmotel.dialect.support;

/** What dialects read from a request's path before matching their routes. */
public final class RequestPaths {
  private static final String AZURE_DEPLOYMENTS = "/openai/deployments/";

  private RequestPaths() {}

  /** The path without its trailing slashes ({@code /v1/models/} as {@code /v1/models}); a lone "/" stays. */
  public static String withoutTrailingSlashes(String path) {
    int end = path.length();
    while (end > 1 && path.charAt(end - 1) == '/') end--;
    return path.substring(0, end);
  }

  /**
   * The deployment of an Azure OpenAI route {@code .../openai/deployments/{deployment}/...}, or null (another route,
   * or no segment after the deployment).
   */
  public static String azureDeployment(String path) {
    int at = path.indexOf(AZURE_DEPLOYMENTS);
    if (at < 0) return null;
    int start = at + AZURE_DEPLOYMENTS.length();
    int slash = path.indexOf('/', start);
    if (slash <= start) return null;
    return path.substring(start, slash);
  }
}
