package dev.llmotel.agent.installer;

import dev.llmotel.export.EnvironmentSource;
import dev.llmotel.export.ExportCheck;

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
    if ("check".equals(command)) {
      System.exit(ExportCheck.run(EnvironmentSource.load(), System.out));
      return;
    }
    System.out.println("llm-otel-agent: attach with  java -javaagent:llm-otel-agent.jar -jar your-app.jar");
    System.out.println("commands:  check     send one test span to every configured destination and print each answer");
    System.out.println("           version   print the agent's version");
  }
}
