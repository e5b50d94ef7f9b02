package dev.taskwright.starter.layers;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The starter keeps its layers ({@link StarterLayers}), and each rule is shown to fail on code that
 * breaks it: the classes of {@code dev.taskwright.layerfixture}, a client class that uses a worker
 * class and a worker class that uses a command.
 */
class StarterLayersTest {

  @Test
  void theStarterKeepsItsLayers() {
    JavaClasses starter =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.taskwright.starter");
    for (ArchRule rule : StarterLayers.rules("dev.taskwright.starter")) {
      rule.check(starter);
    }
  }

  @Test
  void eachRuleFailsOnCodeThatBreaksIt() {
    JavaClasses fixture = new ClassFileImporter().importPackages("dev.taskwright.layerfixture");
    var rules = StarterLayers.rules("dev.taskwright.layerfixture");

    assertThat(rules.get(0).evaluate(fixture).getFailureReport().getDetails())
        .singleElement()
        .asString()
        .contains("layerfixture.task.ClientUsingAWorker")
        .contains("layerfixture.worker.WorkerUsingACommand");
    assertThat(rules.get(1).evaluate(fixture).getFailureReport().getDetails())
        .singleElement()
        .asString()
        .contains("layerfixture.worker.WorkerUsingACommand")
        .contains("layerfixture.commands.SomeCommand");
  }
}
