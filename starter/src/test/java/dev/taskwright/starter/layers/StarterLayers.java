package dev.taskwright.starter.layers;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * Which of the starter's packages may use which, as rules over any root package (so {@link
 * StarterLayersTest} can show each rule failing on code that breaks it):
 *
 * <ul>
 *   <li>the client — the Temporal connection ({@code temporal}), the task client and intake ({@code
 *       task}, {@code plan}), the ledger's reading ({@code ledger}) and transcripts ({@code logs})
 *       — uses neither the worker's bootstrap and metrics nor the commands nor the demo: a command
 *       is built from the client, never the other way;
 *   <li>the worker and its metrics do not use the commands or the demo;
 *   <li>the demo's project does not use the commands.
 * </ul>
 *
 * The root package (the CLI's environment, errors, exit codes, terminal) is shared by all.
 */
final class StarterLayers {
  private StarterLayers() {}

  static List<ArchRule> rules(String root) {
    String[] client = {
      root + ".temporal..", root + ".task..", root + ".plan..", root + ".ledger..", root + ".logs.."
    };
    return List.of(
        noClasses()
            .that()
            .resideInAnyPackage(client)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                root + ".worker..", root + ".metrics..", root + ".commands..", root + ".demo..")
            .because("the client is what commands and workers are built from"),
        noClasses()
            .that()
            .resideInAnyPackage(root + ".worker..", root + ".metrics..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(root + ".commands..", root + ".demo..")
            .because("a worker runs without the CLI's commands"),
        noClasses()
            .that()
            .resideInAPackage(root + ".demo..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage(root + ".commands..")
            .because("the demo command uses the demo project, not the reverse"));
  }
}
