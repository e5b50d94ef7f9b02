package dev.taskwright.workflows;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;

/**
 * Nondeterministic calls in workflow code fail the build: every rule of {@link
 * WorkflowDeterminismRules} over every class of this module's main code. All of it runs inside
 * workflows or is handed to them (TaskWorkflowImpl and its helpers, the names, timeouts and
 * prompts, and the message records, which activities build too); the activity ports are interfaces,
 * and their implementations live in the activities module, which does the I/O.
 */
@AnalyzeClasses(
    packages = "dev.taskwright.workflows",
    importOptions = ImportOption.DoNotIncludeTests.class)
class WorkflowDeterminismTest {

  @ArchTest static final ArchTests rules = ArchTests.in(WorkflowDeterminismRules.class);
}
