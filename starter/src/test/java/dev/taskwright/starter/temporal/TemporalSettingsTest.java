package dev.taskwright.starter.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.CliEnvironment;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temporal's own variables decide where the CLI connects; with none set, the local dev server's
 * address.
 */
class TemporalSettingsTest {

  @TempDir Path temp;

  private CliEnvironment environment(Map<String, String> variables) {
    // An empty config file keeps a developer's own temporal.toml out of the test.
    var withConfig = new java.util.HashMap<>(variables);
    withConfig.put("TEMPORAL_CONFIG_FILE", temp.resolve("none.toml").toString());
    return new CliEnvironment(withConfig, temp);
  }

  @Test
  void defaultsToTheLocalDevServer() {
    var settings = TemporalSettings.fromEnvironment(environment(Map.of()));
    assertThat(settings.address()).isEqualTo("127.0.0.1:7233");
    assertThat(settings.namespace()).isEqualTo("default");
    assertThat(settings.isLoopback()).isTrue();
    assertThat(settings.port()).isEqualTo(7233);
  }

  @Test
  void readsTemporalsOwnVariables() {
    var settings =
        TemporalSettings.fromEnvironment(
            environment(
                Map.of(
                    "TEMPORAL_ADDRESS",
                    "temporal.example.com:7233",
                    "TEMPORAL_NAMESPACE",
                    "tasks")));
    assertThat(settings.address()).isEqualTo("temporal.example.com:7233");
    assertThat(settings.namespace()).isEqualTo("tasks");
    assertThat(settings.isLoopback()).isFalse();
    assertThat(settings.stubsOptions().build().getTarget()).isEqualTo("temporal.example.com:7233");
    assertThat(settings.clientOptions().getNamespace()).isEqualTo("tasks");
  }

  @Test
  void anApiKeyTurnsOnTls() {
    var settings =
        TemporalSettings.fromEnvironment(
            environment(
                Map.of("TEMPORAL_ADDRESS", "ns.tmprl.cloud:7233", "TEMPORAL_API_KEY", "secret")));
    assertThat(settings.profile().getApiKey()).isEqualTo("secret");
    assertThat(settings.stubsOptions().build().getEnableHttps()).isTrue();
  }
}
