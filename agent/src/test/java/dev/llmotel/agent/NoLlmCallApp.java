package dev.llmotel.agent;

/**
 * A short-lived application that makes no LLM call (a CLI tool, a batch job): prints one line and exits. With the
 * argument {@code bridge} it also prints whether the agent's bridge class is reachable from the bootstrap loader; with
 * {@code sleep N} it waits N ms before it exits (a job that runs a while: the agent's SDK starts meanwhile).
 */
public final class NoLlmCallApp {
  private NoLlmCallApp() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length > 1 && args[0].equals("sleep")) Thread.sleep(Long.parseLong(args[1]));
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
