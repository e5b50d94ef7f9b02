package dev.taskwright.ledger;

import java.nio.file.Path;

/**
 * Where the ledger is: a PostgreSQL server people run ({@code TASKWRIGHT_DATABASE_URL}), or the
 * embedded one under the taskwright home.
 *
 * @param url a JDBC URL, or null for the embedded server
 * @param user the user to connect as, or null for the URL's own
 * @param password the password, or null for the URL's own
 * @param embeddedRoot the embedded server's folder ({@code <home>/postgres}) when {@code url} is
 *     null
 * @param binaryCache where the embedded server's binaries are unpacked, shared by every home
 */
public record LedgerLocation(
    String url, String user, String password, Path embeddedRoot, Path binaryCache) {

  public static LedgerLocation server(String url, String user, String password) {
    return new LedgerLocation(url, user, password, null, null);
  }

  public static LedgerLocation embedded(Path embeddedRoot, Path binaryCache) {
    return new LedgerLocation(null, null, null, embeddedRoot, binaryCache);
  }

  public boolean isEmbedded() {
    return url == null;
  }

  /** Where the ledger is, for messages; never the password. */
  public String describe() {
    return isEmbedded()
        ? "the embedded PostgreSQL in " + embeddedRoot
        : url.replaceAll("password=[^&]*", "password=***");
  }
}
