package dev.llmotel.agent;

/**
 * A short-lived application that makes no LLM call (a CLI tool, a batch job): prints one line and exits. With the
 * argument {@code bridge} it also prints whether the agent's bridge class is reachable from the bootstrap loader.
 */
public final class NoLlmCallApp {
  private NoLlmCallApp() {}

  public static void main(String[] args) {
    System.out.println("done");
    if (args.length > 0 && args[0].equals("bridge")) {
      boolean found;
      try {
        found = Class.forName("dev.llmotel.bootstrap.Bridges", false, null).getClassLoader() == null;
      } catch (ClassNotFoundException e) {
        found = false;
      }
      System.out.println("bridge in the bootstrap loader: " + found);
    }
  }
}
