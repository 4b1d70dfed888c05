package dev.llmotel.agent.installer;

/** {@code java -jar llm-otel-agent.jar [command]}: what the jar can do without an application. */
public final class AgentCommand {
  private AgentCommand() {}

  public static void main(String[] args) {
    String command = args.length == 0 ? "help" : args[0];
    if ("version".equals(command)) {
      Package p = AgentCommand.class.getPackage();
      String v = p == null ? null : p.getImplementationVersion();
      System.out.println("llm-otel-agent " + (v == null ? "dev" : v));
      return;
    }
    System.out.println("llm-otel-agent: attach with  java -javaagent:llm-otel-agent.jar -jar your-app.jar");
    System.out.println("commands:  version   print the agent's version");
  }
}
