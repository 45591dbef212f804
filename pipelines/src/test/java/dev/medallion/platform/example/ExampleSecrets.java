package dev.medallion.platform.example;

/** Lets tests give the example connectors a secret, as the environment would. */
public final class ExampleSecrets {
  private ExampleSecrets() {}

  public static void set(String name, String value) {
    CatalogConnector.TEST_ENVIRONMENT.put(name, value);
  }
}
