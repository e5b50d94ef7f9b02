package dev.taskwright.starter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.taskwright.starter.temporal.SearchAttributeRegistration;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * Checks the deployment files at the repository root (docker-compose.yml, the Dockerfile and the
 * scripts they mount from deploy/) without a Docker engine: their structure, and that they agree
 * with each other and with the code, which are the mistakes that otherwise show only when someone
 * runs {@code docker compose up} for the first time.
 */
class DeploymentFilesTest {

  private static final String POSTGRESQL = "postgresql";
  private static final String SCHEMA_SETUP = "temporal-admin-tools";
  private static final String TEMPORAL = "temporal";
  private static final String NAMESPACE_SETUP = "temporal-namespace-setup";
  private static final String UI = "temporal-ui";
  private static final String WORKER = "worker";

  private static final String HEALTHY = "service_healthy";
  private static final String COMPLETED = "service_completed_successfully";

  /** The image's entry point, as bin/taskwright runs the jar. */
  /** The jar with bin/taskwright's JVM options (the JIT's first tier, the serial collector). */
  private static final List<String> ENTRYPOINT =
      List.of(
          "java",
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC",
          "-jar",
          "/opt/taskwright/taskwright.jar");

  /** Environment variable names that hold secrets, in any service. */
  private static final Pattern SECRET_NAME =
      Pattern.compile(".*(PASSWORD|PWD|API_KEY|TOKEN|SECRET).*");

  /**
   * A Compose variable reference: ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message},
   * ${NAME?message}.
   */
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

  private static Path root;
  private static JsonNode compose;
  private static Dockerfile dockerfile;

  @BeforeAll
  static void readTheFiles() throws IOException {
    root = repositoryRoot();
    Path composeFile = root.resolve("docker-compose.yml");
    assertThat(composeFile)
        .as("docker-compose.yml is missing from the repository root %s", root)
        .isRegularFile();
    compose = new ObjectMapper(new YAMLFactory()).readTree(composeFile.toFile());
    Path dockerfilePath = root.resolve("Dockerfile");
    assertThat(dockerfilePath)
        .as("the Dockerfile is missing from the repository root %s", root)
        .isRegularFile();
    dockerfile = Dockerfile.parse(Files.readString(dockerfilePath));
  }

  // --- docker-compose.yml ---------------------------------------------------------------------

  @Test
  void composeDeclaresEveryService() {
    assertThat(fieldNames(compose.path("services")))
        .as(
            "docker-compose.yml must declare the services PostgreSQL, schema setup, Temporal,"
                + " namespace setup, Web UI and worker")
        .contains(POSTGRESQL, SCHEMA_SETUP, TEMPORAL, NAMESPACE_SETUP, UI, WORKER);
    assertThat(compose.has("version"))
        .as(
            "docker-compose.yml has a top-level 'version:' key, which Compose v2 ignores and warns"
                + " about; remove it")
        .isFalse();
  }

  @Test
  void everyImageIsPinnedToAVersionFromTheDefaultRegistry() {
    for (String name : fieldNames(compose.path("services"))) {
      JsonNode service = service(name);
      if (!service.has("image")) {
        assertThat(service.has("build"))
            .as("service %s has neither an image nor a build", name)
            .isTrue();
        continue;
      }
      assertPinned("docker-compose.yml, service " + name, service.get("image").asText());
    }
    for (Stage stage : dockerfile.stages()) {
      assertPinned("Dockerfile, stage " + stage.name(), stage.image());
    }
  }

  @Test
  void thePortsArePublishedOnLoopbackByDefault() {
    assertPublished(TEMPORAL, "7233", "7233");
    assertPublished(UI, "8233", "8080");
    assertPublished(WORKER, "9464", "9464");
    assertThat(environment(WORKER).get("TASKWRIGHT_METRICS_ADDRESS"))
        .as(
            "the worker's TASKWRIGHT_METRICS_ADDRESS must listen on every interface of the"
                + " container, on the port docker-compose.yml publishes")
        .isEqualTo("0.0.0.0:9464");
    for (String name : fieldNames(compose.path("services"))) {
      for (PublishedPort port : ports(name)) {
        assertThat(port.hostIp())
            .as(
                "service %s publishes %s on every interface by default; Temporal and its UI check"
                    + " no caller, so listen on 127.0.0.1 unless TASKWRIGHT_BIND_ADDRESS opens it",
                name, port.raw())
            .isEqualTo("127.0.0.1");
      }
    }
  }

  @Test
  void theWorkerIsBuiltFromTheDockerfile() {
    JsonNode build = service(WORKER).path("build");
    assertThat(build.isMissingNode())
        .as("the worker must be built from the Dockerfile ('build:'), not pulled")
        .isFalse();
    String context = build.isTextual() ? build.asText() : build.path("context").asText(".");
    String file = build.path("dockerfile").asText("Dockerfile");
    assertThat(root.resolve(context).resolve(file).normalize())
        .as(
            "the worker's build (context %s, dockerfile %s) must use the repository's Dockerfile",
            context, file)
        .isEqualTo(root.resolve("Dockerfile"));
    assertThat(service(WORKER).has("image"))
        .as("the worker names an image as well as a build, so Compose would try to pull it")
        .isFalse();
  }

  @Test
  void theWorkerHasItsSettings() {
    Map<String, String> env = environment(WORKER);
    assertThat(env)
        .as("the worker's environment lacks settings it needs")
        .containsKeys(
            "TEMPORAL_ADDRESS",
            "TEMPORAL_NAMESPACE",
            "TASKWRIGHT_DATABASE_URL",
            "TASKWRIGHT_DATABASE_USER",
            "TASKWRIGHT_DATABASE_PASSWORD",
            "TASKWRIGHT_MAX_AGENTS",
            "TASKWRIGHT_METRICS_ADDRESS",
            "TASKWRIGHT_HOST",
            "ANTHROPIC_API_KEY");
    assertThat(env.get("TEMPORAL_ADDRESS"))
        .as("the worker's TEMPORAL_ADDRESS must be the temporal service's gRPC port")
        .isEqualTo(TEMPORAL + ":7233");
    assertThat(env.get("TEMPORAL_NAMESPACE"))
        .as("the worker must use the namespace that %s creates", NAMESPACE_SETUP)
        .isEqualTo(environment(NAMESPACE_SETUP).get("TEMPORAL_NAMESPACE"));
    assertThat(withDefaults(env.get("TASKWRIGHT_HOST")))
        .as(
            "the worker needs a fixed TASKWRIGHT_HOST: a container's host name changes when it is"
                + " recreated, and the tasks whose worktrees it holds would wait on a queue nobody"
                + " polls")
        .isNotBlank();
    assertThat(environment(UI).get("TEMPORAL_ADDRESS"))
        .as("the Web UI's TEMPORAL_ADDRESS must be the temporal service")
        .isEqualTo(TEMPORAL + ":7233");
  }

  @Test
  void theLedgerUrlPointsAtThePostgresqlService() throws IOException {
    String url = environment(WORKER).get("TASKWRIGHT_DATABASE_URL");
    assertThat(url)
        .as("TASKWRIGHT_DATABASE_URL must be a PostgreSQL JDBC URL")
        .startsWith("jdbc:postgresql://");
    URI uri = URI.create(url.substring("jdbc:".length()));
    assertThat(uri.getHost())
        .as("TASKWRIGHT_DATABASE_URL %s must name the postgresql service as its host", url)
        .isEqualTo(POSTGRESQL);
    assertThat(uri.getPort())
        .as("TASKWRIGHT_DATABASE_URL %s must use PostgreSQL's port 5432", url)
        .isEqualTo(5432);
    String database = uri.getPath().substring(1);

    Mount init =
        mounts(POSTGRESQL).stream()
            .filter(mount -> mount.target().equals("/docker-entrypoint-initdb.d"))
            .findFirst()
            .orElse(null);
    assertThat(init)
        .as(
            "the postgresql service must mount deploy/postgres/ as /docker-entrypoint-initdb.d to"
                + " create the ledger database")
        .isNotNull();
    Path initFolder = root.resolve(init.source()).normalize();
    assertThat(initFolder)
        .as("the postgresql init folder %s does not exist", init.source())
        .isDirectory();
    String scripts;
    try (var files = Files.list(initFolder)) {
      scripts =
          files
              .filter(Files::isRegularFile)
              .map(DeploymentFilesTest::read)
              .collect(Collectors.joining("\n"));
    }
    assertThat(scripts)
        .as(
            "no script in %s creates the database '%s' that TASKWRIGHT_DATABASE_URL names",
            init.source(), database)
        .containsPattern("(?i)CREATE DATABASE \"?" + Pattern.quote(database) + "\\b");
    assertThat(environment(POSTGRESQL))
        .as("the postgresql service must hand the ledger's user and password to its init script")
        .containsKeys("TASKWRIGHT_DATABASE_USER", "TASKWRIGHT_DATABASE_PASSWORD");
  }

  @Test
  void secretsAreReferencesNotValues() {
    for (String name : fieldNames(compose.path("services"))) {
      environment(name)
          .forEach(
              (key, value) -> {
                if (!SECRET_NAME.matcher(key).matches()) {
                  return;
                }
                Matcher reference = VARIABLE.matcher(value == null ? "" : value);
                assertThat(reference.matches())
                    .as(
                        "service %s sets the secret %s to a literal value; make it a ${...}"
                            + " reference to the environment or .env",
                        name, key)
                    .isTrue();
                boolean hasDefault = reference.group(2) != null && reference.group(2).endsWith("-");
                assertThat(hasDefault ? reference.group(3) : "")
                    .as(
                        "service %s gives the secret %s a default value in %s; a secret must not"
                            + " have one",
                        name, key, value)
                    .isEmpty();
              });
    }
    assertThat(environment(WORKER).get("ANTHROPIC_API_KEY"))
        .as(
            "the worker's ANTHROPIC_API_KEY must be passed through from the host as"
                + " ${ANTHROPIC_API_KEY...}")
        .matches("\\$\\{ANTHROPIC_API_KEY(:?[-?][^}]*)?}");
    for (String required : List.of("TASKWRIGHT_DATABASE_PASSWORD")) {
      assertThat(environment(WORKER).get(required))
          .as(
              "%s must be required (${%s:?message}), so Compose stops with a message instead of"
                  + " starting with an empty password",
              required, required)
          .startsWith("${" + required + ":?");
    }
    assertThat(environment(POSTGRESQL).get("POSTGRES_PASSWORD"))
        .as(
            "POSTGRES_PASSWORD must be required (${POSTGRES_PASSWORD:?message}), so Compose stops"
                + " with a message instead of starting with an empty password")
        .startsWith("${POSTGRES_PASSWORD:?");
  }

  @Test
  void repositoriesAndAgentStateAreVolumesNotImageContents() {
    List<Mount> mounts = mounts(WORKER);
    Mount repos =
        mounts.stream().filter(mount -> mount.target().equals("/repos")).findFirst().orElse(null);
    assertThat(repos).as("the worker must mount the user's repositories at /repos").isNotNull();
    assertThat(repos.rawSource())
        .as("the repositories' host folder must be configurable as ${TASKWRIGHT_REPOS:-...}")
        .startsWith("${TASKWRIGHT_REPOS");

    String home = dockerfile.env().get("TASKWRIGHT_HOME");
    String claudeConfig = dockerfile.env().get("CLAUDE_CONFIG_DIR");
    assertThat(home).as("the Dockerfile must set TASKWRIGHT_HOME").isEqualTo("/var/lib/taskwright");
    assertThat(claudeConfig)
        .as(
            "the Dockerfile must set CLAUDE_CONFIG_DIR, where Claude Code keeps its login and"
                + " sessions")
        .isNotBlank();
    assertThat(dockerfile.volumes())
        .as("the Dockerfile must declare TASKWRIGHT_HOME and CLAUDE_CONFIG_DIR as volumes")
        .contains(home, claudeConfig);
    for (String target : List.of(home, claudeConfig)) {
      Mount mount = mounts.stream().filter(m -> m.target().equals(target)).findFirst().orElse(null);
      assertThat(mount)
          .as(
              "the worker must mount a volume at %s, or it is lost when the container is recreated",
              target)
          .isNotNull();
      assertThat(fieldNames(compose.path("volumes")))
          .as(
              "the worker's %s must be a named volume declared under the top-level 'volumes:'",
              target)
          .contains(mount.source());
    }

    for (Instruction instruction : dockerfile.finalStage().instructions()) {
      if (Set.of("ENV", "ARG").contains(instruction.keyword())) {
        assertThat(instruction.arguments())
            .as(
                "the Dockerfile bakes a credential into the image (line %d); pass it at run time"
                    + " instead",
                instruction.line())
            .doesNotContain("ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN", "TEMPORAL_API_KEY");
      }
      if (Set.of("COPY", "ADD").contains(instruction.keyword())) {
        assertThat(instruction.arguments())
            .as(
                "the Dockerfile copies credentials or settings into the image (line %d)",
                instruction.line())
            .doesNotContain(".claude", ".env");
      }
    }

    // Every file a service mounts from the repository must exist, or Docker creates an empty folder
    // in its place.
    for (String name : fieldNames(compose.path("services"))) {
      for (Mount mount : mounts(name)) {
        if (mount.source().startsWith("./")) {
          if (mount.rawSource().startsWith("${")) {
            continue; // The user's own folder, such as the repositories.
          }
          assertThat(root.resolve(mount.source()).normalize())
              .as("service %s mounts %s, which is not in the repository", name, mount.source())
              .exists();
        }
      }
    }
  }

  @Test
  void startupWaitsForWhatEachServiceNeeds() {
    Map<String, Map<String, String>> expected =
        Map.of(
            SCHEMA_SETUP, Map.of(POSTGRESQL, HEALTHY),
            TEMPORAL, Map.of(SCHEMA_SETUP, COMPLETED),
            NAMESPACE_SETUP, Map.of(TEMPORAL, HEALTHY),
            UI, Map.of(TEMPORAL, HEALTHY),
            WORKER, Map.of(POSTGRESQL, HEALTHY, TEMPORAL, HEALTHY, NAMESPACE_SETUP, COMPLETED));
    expected.forEach(
        (name, dependencies) ->
            dependencies.forEach(
                (dependency, condition) ->
                    assertThat(
                            service(name)
                                .path("depends_on")
                                .path(dependency)
                                .path("condition")
                                .asText())
                        .as(
                            "service %s must wait for %s with 'condition: %s'",
                            name, dependency, condition)
                        .isEqualTo(condition)));

    for (String name : fieldNames(compose.path("services"))) {
      JsonNode dependsOn = service(name).path("depends_on");
      for (String dependency : fieldNames(dependsOn)) {
        assertThat(compose.path("services").has(dependency))
            .as(
                "service %s depends on %s, which docker-compose.yml does not declare",
                name, dependency)
            .isTrue();
        String condition = dependsOn.path(dependency).path("condition").asText();
        if (condition.equals(HEALTHY)) {
          assertThat(service(dependency).has("healthcheck"))
              .as(
                  "service %s waits for %s to be healthy, but %s has no healthcheck",
                  name, dependency, dependency)
              .isTrue();
        }
        if (condition.equals(COMPLETED)) {
          assertThat(service(dependency).path("restart").asText("no"))
              .as(
                  "service %s waits for the one-shot %s to complete, but its restart policy would"
                      + " run it again and again",
                  name, dependency)
              .isIn("no", "on-failure");
        }
      }
    }
  }

  @Test
  void theNamespaceStepRegistersTaskwrightsSearchAttributes() {
    List<String> expected =
        SearchAttributeRegistration.KEYS.stream().map(SearchAttributeKey::getName).toList();
    for (SearchAttributeKey<String> key : SearchAttributeRegistration.KEYS) {
      assertThat(key.getValueType())
          .as(
              "search attribute %s is no longer a Keyword; the namespace step registers every one"
                  + " as Keyword",
              key.getName())
          .isEqualTo(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    String listed = environment(NAMESPACE_SETUP).getOrDefault("KEYWORD_SEARCH_ATTRIBUTES", "");
    assertThat(Arrays.stream(listed.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList())
        .as(
            "%s's KEYWORD_SEARCH_ATTRIBUTES must list exactly taskwright's search attributes"
                + " (Names.TASK_STATE etc.)",
            NAMESPACE_SETUP)
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(service(NAMESPACE_SETUP).path("image").asText())
        .as(
            "%s must run in the temporalio/admin-tools image, which has the temporal CLI",
            NAMESPACE_SETUP)
        .startsWith("temporalio/admin-tools:");

    String script = mountedScript(NAMESPACE_SETUP);
    assertThat(script)
        .as(
            "%s's script must create each attribute with `temporal operator search-attribute create"
                + " --type Keyword`",
            NAMESPACE_SETUP)
        .contains("temporal operator search-attribute create")
        .contains("--type Keyword");
    assertThat(script)
        .as(
            "%s's script must create the attributes that KEYWORD_SEARCH_ATTRIBUTES lists, one by"
                + " one",
            NAMESPACE_SETUP)
        .containsPattern("for \\w+ in \"?\\$\\{?KEYWORD_SEARCH_ATTRIBUTES}?\"?;");
    assertThat(script)
        .as("%s's script must create the namespace when it is missing", NAMESPACE_SETUP)
        .contains("temporal operator namespace create");

    String schema = mountedScript(SCHEMA_SETUP);
    assertThat(schema)
        .as(
            "%s's script must set up the schema of both of Temporal's databases with"
                + " temporal-sql-tool",
            SCHEMA_SETUP)
        .contains(
            "temporal-sql-tool", "update-schema", "temporal/versioned", "visibility/versioned");
  }

  // --- Dockerfile -----------------------------------------------------------------------------

  @Test
  void theDockerfileBuildsTheJarInAMavenStage() {
    assertThat(dockerfile.stages())
        .as("the Dockerfile must have a build stage and a runtime stage")
        .hasSizeGreaterThanOrEqualTo(2);
    Stage build = dockerfile.stage("build");
    assertThat(build.image())
        .as("the build stage must use an official Maven image with JDK 17")
        .startsWith("maven:")
        .contains("eclipse-temurin-17");
    assertThat(build.name())
        .as("the build stage must be named, so the runtime stage can copy from it")
        .isNotBlank();
    assertThat(build.runs())
        .as("the build stage must build the jar with `mvn -B -DskipTests package`")
        .anyMatch(run -> run.matches("(?s).*\\bmvn -B -DskipTests package\\b.*"));

    Stage runtime = dockerfile.finalStage();
    assertThat(runtime.image())
        .as("the runtime stage must use the eclipse-temurin 17 image")
        .startsWith("eclipse-temurin:17");
    assertThat(runtime.instructions())
        .as(
            "the runtime stage must copy starter/target/taskwright.jar from the build stage to"
                + " /opt/taskwright/taskwright.jar")
        .anyMatch(
            instruction ->
                instruction.keyword().equals("COPY")
                    && instruction
                        .arguments()
                        .matches(
                            "--from="
                                + Pattern.quote(build.name())
                                + "\\s+\\S*starter/target/taskwright\\.jar\\s+/opt/taskwright/taskwright\\.jar"));
  }

  @Test
  void theBuildStageGetsEveryModule() throws Exception {
    Stage build = dockerfile.stage("build");
    List<String> copied = new ArrayList<>();
    for (Instruction instruction : build.instructions()) {
      if (instruction.keyword().equals("COPY") && !instruction.arguments().contains("--from=")) {
        List<String> words =
            Arrays.stream(instruction.arguments().split("\\s+"))
                .filter(w -> !w.startsWith("--"))
                .toList();
        words.subList(0, words.size() - 1).stream()
            .map(DeploymentFilesTest::contextPath)
            .forEach(copied::add);
      }
    }
    List<String> needed = new ArrayList<>(pomModules());
    needed.add("pom.xml");
    if (!copied.contains("")) {
      assertThat(copied)
          .as(
              "the build stage copies neither the whole context nor every module of pom.xml, so"
                  + " Maven cannot build the reactor")
          .containsAll(needed);
    }
    Path dockerignore = root.resolve(".dockerignore");
    List<String> ignored =
        Files.exists(dockerignore)
            ? Files.readAllLines(dockerignore).stream()
                .map(DeploymentFilesTest::contextPath)
                .toList()
            : List.of();
    assertThat(ignored)
        .as(".dockerignore keeps a module or pom.xml out of the image build")
        .doesNotContainAnyElementsOf(needed);
    if (copied.contains("")) {
      // The whole context goes to the builder, so the secrets file and the default repositories
      // folder must not.
      assertThat(ignored)
          .as(
              "the build stage copies the whole context, but .dockerignore does not keep .env and"
                  + " repos/ out of it")
          .contains(".env", "repos");
    }
  }

  @Test
  void theRuntimeHasGitAndTheClaudeCliAtThePomsPinnedVersion() throws Exception {
    Stage runtime = dockerfile.finalStage();
    String installs = String.join("\n", runtime.runs());
    Matcher aptGet = Pattern.compile("apt-get install[^&;|]*").matcher(installs);
    assertThat(aptGet.find())
        .as("the runtime stage must install its tools with apt-get install")
        .isTrue();
    assertThat(Arrays.asList(aptGet.group().split("\\s+")))
        .as("the runtime stage must install git from the distribution's packages")
        .contains("git");
    // Claude Code needs Node.js 22 or newer, newer than the distribution's: it comes from the node
    // image.
    assertThat(runtime.copies())
        .as("the runtime stage must copy node and npm from the node stage")
        .anyMatch(copy -> copy.contains("--from=node") && copy.contains("/usr/local/bin/node"))
        .anyMatch(
            copy -> copy.contains("--from=node") && copy.contains("/usr/local/lib/node_modules"));
    Matcher nodeImage =
        Pattern.compile("ARG NODE_IMAGE=node:(\\d+)\\.")
            .matcher(Files.readString(root.resolve("Dockerfile")));
    assertThat(nodeImage.find())
        .as("the Dockerfile pins NODE_IMAGE to an official node image")
        .isTrue();
    assertThat(Integer.parseInt(nodeImage.group(1)))
        .as("Claude Code needs Node.js 22 or newer")
        .isGreaterThanOrEqualTo(22);
    assertThat(installs)
        .as(
            "the runtime stage must install the Claude Code CLI with `npm install -g"
                + " @anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}`")
        .containsPattern(
            "npm install -g [^\\n]*\"?@anthropic-ai/claude-code@\\$\\{CLAUDE_CODE_VERSION}\"?");
    assertThat(installs)
        .as(
            "the Dockerfile names a package registry; the clients' own defaults (and the user's"
                + " configuration) decide")
        .doesNotContain("--registry");

    String pinned = pomProperty("claude.code.version");
    assertThat(runtime.args().get("CLAUDE_CODE_VERSION"))
        .as(
            "the Dockerfile's ARG CLAUDE_CODE_VERSION default must equal <claude.code.version> in"
                + " pom.xml, the version the tests drive")
        .isEqualTo(pinned);
  }

  @Test
  void theWorkerRunsAsAnUnprivilegedUser() {
    Stage runtime = dockerfile.finalStage();
    List<Instruction> users =
        runtime.instructions().stream().filter(i -> i.keyword().equals("USER")).toList();
    assertThat(users)
        .as("the runtime stage must switch to an unprivileged user with USER")
        .isNotEmpty();
    String user = users.get(users.size() - 1).arguments().split(":")[0];
    assertThat(user)
        .as("the runtime stage's last USER is root; agents and the worker must not run as root")
        .isNotIn("root", "0");
    assertThat(String.join("\n", runtime.runs()))
        .as("the runtime stage must create the user %s that it switches to", user)
        .containsPattern("useradd\\b[^\\n]*\\b" + Pattern.quote(user) + "\\b");
  }

  @Test
  void theEntrypointRunsTheJarAndTheDefaultCommandIsWorker() {
    Stage runtime = dockerfile.finalStage();
    assertThat(runtime.execForm("ENTRYPOINT"))
        .as("the image's ENTRYPOINT must run the jar in exec form, so the JVM gets SIGTERM itself")
        .isEqualTo(ENTRYPOINT);
    assertThat(runtime.execForm("CMD"))
        .as("the image's default command must be `worker`")
        .isEqualTo(List.of("worker"));
    assertThat(dockerfile.env().get("TASKWRIGHT_HOME"))
        .as("the image must set TASKWRIGHT_HOME=/var/lib/taskwright")
        .isEqualTo("/var/lib/taskwright");
  }

  // --- helpers: docker-compose.yml ------------------------------------------------------------

  private static JsonNode service(String name) {
    JsonNode service = compose.path("services").path(name);
    assertThat(service.isObject()).as("docker-compose.yml has no service '%s'", name).isTrue();
    return service;
  }

  /** The service's environment, from either the map or the list form. */
  private static Map<String, String> environment(String name) {
    JsonNode env = service(name).path("environment");
    Map<String, String> variables = new LinkedHashMap<>();
    if (env.isObject()) {
      env.properties()
          .forEach(
              entry ->
                  variables.put(
                      entry.getKey(),
                      entry.getValue().isNull() ? null : entry.getValue().asText()));
    } else if (env.isArray()) {
      for (JsonNode item : env) {
        String[] parts = item.asText().split("=", 2);
        variables.put(parts[0], parts.length == 2 ? parts[1] : null);
      }
    }
    return variables;
  }

  /** One published port. */
  private record PublishedPort(String raw, String hostIp, String published, String target) {}

  /** The service's published ports, from the short ("[IP:]HOST:CONTAINER") or the long syntax. */
  private static List<PublishedPort> ports(String name) {
    List<PublishedPort> ports = new ArrayList<>();
    for (JsonNode port : service(name).path("ports")) {
      if (port.isObject()) {
        ports.add(
            new PublishedPort(
                port.toString(),
                withDefaults(port.path("host_ip").asText("")),
                withDefaults(port.path("published").asText("")),
                port.path("target").asText()));
        continue;
      }
      String raw = port.asText();
      String[] parts = withDefaults(raw).replaceAll("/(tcp|udp)$", "").split(":");
      String target = parts[parts.length - 1];
      String published = parts.length >= 2 ? parts[parts.length - 2] : "";
      String hostIp =
          parts.length >= 3 ? String.join(":", Arrays.copyOf(parts, parts.length - 2)) : "";
      ports.add(new PublishedPort(raw, hostIp, published, target));
    }
    return ports;
  }

  private static void assertPublished(String service, String hostPort, String containerPort) {
    assertThat(ports(service))
        .as(
            "service %s must publish container port %s on host port %s",
            service, containerPort, hostPort)
        .anyMatch(port -> port.published().equals(hostPort) && port.target().equals(containerPort));
  }

  /**
   * One volume or bind mount; {@code source} has the Compose variables replaced by their defaults.
   */
  private record Mount(String rawSource, String source, String target) {}

  private static List<Mount> mounts(String name) {
    List<Mount> mounts = new ArrayList<>();
    for (JsonNode volume : service(name).path("volumes")) {
      if (volume.isObject()) {
        String raw = volume.path("source").asText("");
        mounts.add(new Mount(raw, withDefaults(raw), volume.path("target").asText()));
        continue;
      }
      String raw = volume.asText();
      String[] parts = withDefaults(raw).split(":");
      if (parts.length == 1) {
        mounts.add(new Mount("", "", parts[0])); // An anonymous volume.
      } else {
        // The target is absolute, so the raw source ends where ":/" first appears.
        mounts.add(new Mount(raw.substring(0, raw.indexOf(":/")), parts[0], parts[1]));
      }
    }
    return mounts;
  }

  /**
   * The text of the script a one-shot service runs, found among the files it mounts from the
   * repository.
   */
  private static String mountedScript(String name) {
    List<String> command = new ArrayList<>();
    service(name).path("command").forEach(part -> command.add(part.asText()));
    Optional<Mount> script =
        mounts(name).stream()
            .filter(mount -> command.contains(mount.target()) && mount.source().startsWith("./"))
            .findFirst();
    assertThat(script)
        .as("service %s must run a script it mounts from deploy/ (command %s)", name, command)
        .isPresent();
    Path file = root.resolve(script.get().source()).normalize();
    assertThat(file)
        .as("service %s runs %s, which is not in the repository", name, script.get().source())
        .isRegularFile();
    return read(file);
  }

  /**
   * The value Compose gives {@code text}: each ${NAME:-default} becomes its default, other
   * references nothing, $$ a $.
   */
  private static String withDefaults(String text) {
    if (text == null) {
      return "";
    }
    Matcher matcher = VARIABLE.matcher(text);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      String operator = matcher.group(2);
      String value = operator != null && operator.endsWith("-") ? matcher.group(3) : "";
      matcher.appendReplacement(result, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(result);
    return result.toString().replace("$$", "$");
  }

  private static void assertPinned(String where, String image) {
    assertThat(image)
        .as("%s: the image is not a fixed name; pin it in the file", where)
        .doesNotContain("${");
    String lastPart = image.substring(image.lastIndexOf('/') + 1);
    assertThat(lastPart)
        .as("%s: image %s has no tag; pin it to a version", where, image)
        .contains(":");
    String tag = lastPart.substring(lastPart.indexOf(':') + 1);
    assertThat(tag)
        .as("%s: image %s uses 'latest'; pin it to a version", where, image)
        .isNotEqualToIgnoringCase("latest");
    assertThat(tag)
        .as("%s: image %s has no version in its tag", where, image)
        .containsPattern("\\d");
    String firstPart = image.contains("/") ? image.substring(0, image.indexOf('/')) : "";
    assertThat(firstPart)
        .as(
            "%s: image %s names a registry host; leave the registry to Docker's own configuration",
            where, image)
        .doesNotContain(".", ":");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  // --- helpers: files -------------------------------------------------------------------------

  /**
   * The folder with the parent POM and the modules, found from wherever the test runs (the module
   * folder under Maven).
   */
  private static Path repositoryRoot() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("pom.xml"))
          && Files.isDirectory(dir.resolve("starter"))
          && Files.isDirectory(dir.resolve("workflows"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "cannot find the repository root (a folder with pom.xml, starter/ and workflows/) above "
            + start);
  }

  /**
   * A path as the build context names it: without "./" in front or "/" behind; "" for the context
   * itself.
   */
  private static String contextPath(String path) {
    String trimmed = path.strip().replaceAll("^\\./", "").replaceAll("/+$", "");
    return trimmed.equals(".") ? "" : trimmed;
  }

  private static List<String> pomModules() throws Exception {
    Document pom =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(root.resolve("pom.xml").toFile());
    var nodes = pom.getElementsByTagName("module");
    List<String> modules = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      modules.add(nodes.item(i).getTextContent().trim());
    }
    assertThat(modules).as("pom.xml lists no <module>").isNotEmpty();
    return modules;
  }

  private static String pomProperty(String name) throws Exception {
    Document pom =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(root.resolve("pom.xml").toFile());
    var nodes = pom.getElementsByTagName(name);
    assertThat(nodes.getLength()).as("pom.xml has no <%s> property", name).isEqualTo(1);
    return nodes.item(0).getTextContent().trim();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  // --- a small Dockerfile reader --------------------------------------------------------------

  /** One instruction, with continuation lines joined; {@code line} is where it starts. */
  private record Instruction(String keyword, String arguments, int line) {}

  /**
   * One build stage.
   *
   * @param image the FROM image, with the global ARG defaults filled in
   * @param args the stage's ARG defaults
   */
  private record Stage(
      String image, String name, Map<String, String> args, List<Instruction> instructions) {

    List<String> runs() {
      return instructions.stream()
          .filter(i -> i.keyword().equals("RUN"))
          .map(Instruction::arguments)
          .toList();
    }

    List<String> copies() {
      return instructions.stream()
          .filter(i -> i.keyword().equals("COPY"))
          .map(Instruction::arguments)
          .toList();
    }

    /**
     * The last instruction of that kind in exec (JSON) form, as a list; empty when there is none or
     * it is in shell form.
     */
    List<String> execForm(String keyword) {
      List<Instruction> matching =
          instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
      if (matching.isEmpty()) {
        return List.of();
      }
      String arguments = matching.get(matching.size() - 1).arguments();
      try {
        return new ObjectMapper().readValue(arguments, new TypeReference<List<String>>() {});
      } catch (IOException e) {
        return List.of();
      }
    }
  }

  private record Dockerfile(List<Stage> stages) {

    /** The stage named {@code name} ({@code FROM ... AS name}). */
    Stage stage(String name) {
      return stages.stream()
          .filter(s -> name.equals(s.name()))
          .findFirst()
          .orElseThrow(() -> new AssertionError("the Dockerfile has no stage named " + name));
    }

    Stage finalStage() {
      return stages.get(stages.size() - 1);
    }

    /** The final stage's ENV values (KEY=value pairs). */
    Map<String, String> env() {
      Map<String, String> env = new LinkedHashMap<>();
      for (Instruction instruction : finalStage().instructions()) {
        if (instruction.keyword().equals("ENV")) {
          for (String pair : instruction.arguments().split("\\s+")) {
            String[] parts = pair.split("=", 2);
            if (parts.length == 2) {
              env.put(parts[0], parts[1].replaceAll("^\"|\"$", ""));
            }
          }
        }
      }
      return env;
    }

    /** The final stage's VOLUME paths. */
    List<String> volumes() {
      List<String> volumes = new ArrayList<>();
      for (Instruction instruction : finalStage().instructions()) {
        if (instruction.keyword().equals("VOLUME")) {
          String arguments = instruction.arguments();
          if (arguments.startsWith("[")) {
            try {
              volumes.addAll(
                  new ObjectMapper().readValue(arguments, new TypeReference<List<String>>() {}));
            } catch (IOException e) {
              throw new IllegalStateException(
                  "VOLUME at line " + instruction.line() + " is not a JSON array", e);
            }
          } else {
            volumes.addAll(Arrays.asList(arguments.split("\\s+")));
          }
        }
      }
      return volumes;
    }

    static Dockerfile parse(String text) {
      List<Instruction> instructions = new ArrayList<>();
      String[] lines = text.split("\n", -1);
      StringBuilder current = null;
      int start = 0;
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i].strip();
        if (line.startsWith("#") || (current == null && line.isEmpty())) {
          continue; // Comments may sit between continuation lines; Docker drops them.
        }
        boolean continues = line.endsWith("\\");
        String content = continues ? line.substring(0, line.length() - 1).strip() : line;
        if (current == null) {
          current = new StringBuilder(content);
          start = i + 1;
        } else {
          current.append(' ').append(content);
        }
        if (!continues) {
          String joined = current.toString().strip();
          String[] parts = joined.split("\\s+", 2);
          instructions.add(
              new Instruction(
                  parts[0].toUpperCase(Locale.ROOT),
                  parts.length == 2 ? parts[1].strip() : "",
                  start));
          current = null;
        }
      }

      Map<String, String> globalArgs = new LinkedHashMap<>();
      List<Stage> stages = new ArrayList<>();
      for (Instruction instruction : instructions) {
        if (instruction.keyword().equals("FROM")) {
          String[] parts = instruction.arguments().split("\\s+");
          String image =
              resolve(parts[0].startsWith("--platform") ? parts[1] : parts[0], globalArgs);
          String name = "";
          for (int i = 0; i + 1 < parts.length; i++) {
            if (parts[i].equalsIgnoreCase("AS")) {
              name = parts[i + 1];
            }
          }
          stages.add(new Stage(image, name, new LinkedHashMap<>(), new ArrayList<>()));
        } else if (stages.isEmpty()) {
          if (instruction.keyword().equals("ARG")) {
            putArg(instruction.arguments(), globalArgs);
          }
        } else {
          Stage stage = stages.get(stages.size() - 1);
          stage.instructions().add(instruction);
          if (instruction.keyword().equals("ARG")) {
            putArg(instruction.arguments(), stage.args());
          }
        }
      }
      return new Dockerfile(stages);
    }

    private static void putArg(String arguments, Map<String, String> args) {
      String[] parts = arguments.split("=", 2);
      args.put(
          parts[0].strip(), parts.length == 2 ? parts[1].strip().replaceAll("^\"|\"$", "") : null);
    }

    private static String resolve(String reference, Map<String, String> args) {
      Matcher matcher = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?").matcher(reference);
      StringBuilder result = new StringBuilder();
      while (matcher.find()) {
        String value = args.get(matcher.group(1));
        matcher.appendReplacement(
            result, Matcher.quoteReplacement(value == null ? matcher.group() : value));
      }
      matcher.appendTail(result);
      return result.toString();
    }
  }
}
